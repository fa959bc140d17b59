package dev.inlet.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The request-targets the Reactor Netty route takes: those WebFlux's {@code POST /ilp} route matched. */
class IlpPathTest {

  @Test
  void takesIlpWithOrWithoutQueryInEitherForm() {
    assertThat(IlpPath.matches("/ilp")).isTrue();
    assertThat(IlpPath.matches("/ilp?x=1")).isTrue();
    assertThat(IlpPath.matches("/ilp#top")).isTrue();
    assertThat(IlpPath.matches("http://pay.example:8080/ilp")).isTrue();
    assertThat(IlpPath.matches("https://pay.example/ilp?x")).isTrue();
  }

  @Test
  void decodesTheSegmentAndDropsItsParameters() {
    assertThat(IlpPath.matches("/%69lp")).isTrue();
    assertThat(IlpPath.matches("/i%6Cp")).isTrue();
    assertThat(IlpPath.matches("/ilp;a=b")).isTrue();
    assertThat(IlpPath.matches("/ilp;")).isTrue();
  }

  @Test
  void leavesEverythingElseToWebFlux() {
    for (String target : new String[] {"/ilp/", "//ilp", "/ILP", "/ilpx", "/il", "/", "", "/a/ilp", "/ilp/x",
        "/%2Filp", "/ilp%2F", "/%zz", "http://pay.example", "pay.example/ilp", "/;ilp", "*"}) {
      assertThat(IlpPath.matches(target)).as(target).isFalse();
    }
  }
}

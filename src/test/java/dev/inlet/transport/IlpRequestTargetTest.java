package dev.inlet.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which request-targets name {@code /ilp} on the ILP-over-HTTP listener (RFC 9112 §3.2). */
class IlpRequestTargetTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "/ilp",
        "/ilp?",
        "/ilp?x=1",
        "http://connector.example/ilp",
        "http://connector.example:8081/ilp?x=1"
      })
  void originAndAbsoluteFormsOfIlpAreIt(String target) {
    assertThat(IlpRequestTarget.isIlpPath(target)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "/",
        "ilp",
        "/ilp/",
        "//ilp",
        "/ILP",
        "/%69lp",
        "/ilpx",
        "/ilp#x",
        "/ilp;a=b",
        "/a/ilp",
        "http://connector.example",
        "http://connector.example/",
        "*",
        "connector.example:8081"
      })
  void anythingElseIsNot(String target) {
    assertThat(IlpRequestTarget.isIlpPath(target)).isFalse();
  }
}

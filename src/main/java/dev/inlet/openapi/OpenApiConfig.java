package dev.inlet.openapi;

import io.swagger.v3.core.util.Yaml;
import io.swagger.v3.oas.models.OpenAPI;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;

/**
 * The merchant API's OpenAPI 3 document, kept by hand in {@code openapi/merchant-api.yaml} (its
 * routes are functional, so there is nothing for springdoc to read them from), served by springdoc
 * at {@code /v1/openapi.json} with the Swagger UI at {@code /v1/docs} (application.yaml {@code
 * springdoc.*}), both without authentication, on the main port.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {
  static final String document = "openapi/merchant-api.yaml";

  @Bean
  OpenAPI merchantApiDocument() {
    try (InputStream in = new ClassPathResource(document).getInputStream()) {
      return Yaml.mapper().readValue(in, OpenAPI.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + document, e);
    }
  }
}

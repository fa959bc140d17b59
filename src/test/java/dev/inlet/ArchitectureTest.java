package dev.inlet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The project's layering: the protocol core (codec, crypto, stream, the ledger's interface and its
 * batch engine) is pure Java with no Spring, no reactive runtime and no JDBC, and dependencies
 * point inward to it; the ledger's batch engine is used by its PostgreSQL adapter alone.
 */
class ArchitectureTest {
  private static final JavaClasses main =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.inlet");

  @Test
  void codecUsesOnlyTheJdkCore() {
    classes()
        .that()
        .resideInAPackage("dev.inlet.codec..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "dev.inlet.codec..", "java.lang..", "java.util..", "java.time..", "java.nio.charset..")
        .check(main);
  }

  @Test
  void protocolCoreHasNoFrameworkNoDatabaseAndNoWeb() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.inlet.codec..", "dev.inlet.crypto..", "dev.inlet.stream..")
        .or()
        .resideInAnyPackage("dev.inlet.ledger", "dev.inlet.ledger.batch..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "reactor..",
            "io.netty..",
            "java.sql..",
            "javax.sql..",
            "tools.jackson..",
            "com.zaxxer..")
        .check(main);
  }

  @Test
  void dependenciesPointInward() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.inlet.codec..", "dev.inlet.crypto..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.inlet.stream..",
            "dev.inlet.ledger..",
            "dev.inlet.spsp..",
            "dev.inlet.transport..",
            "dev.inlet.admin..",
            "dev.inlet.web..",
            "dev.inlet.config..")
        .check(main);
    noClasses()
        .that()
        .resideInAnyPackage("dev.inlet.stream..", "dev.inlet.ledger..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.inlet.spsp..",
            "dev.inlet.transport..",
            "dev.inlet.admin..",
            "dev.inlet.web..",
            "dev.inlet.config..")
        .check(main);
  }

  @Test
  void onlyTheLedgerAdapterUsesTheBatchEngine() {
    classes()
        .that()
        .resideInAPackage("dev.inlet.ledger.batch..")
        .should()
        .onlyBeAccessed()
        .byClassesThat()
        .resideInAnyPackage("dev.inlet.ledger.batch..", "dev.inlet.ledger.postgres..")
        .check(main);
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.inlet.ledger.batch..", "dev.inlet.ledger.postgres..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.inlet.ledger.batch..")
        .check(main);
  }

  @Test
  void theBatchEngineIsPureJava() {
    classes()
        .that()
        .resideInAPackage("dev.inlet.ledger.batch..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "dev.inlet.ledger..", "java.lang..", "java.util..", "java.nio..", "java.time..")
        .check(main);
    noClasses()
        .that()
        .resideInAPackage("dev.inlet.ledger.batch..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.inlet.ledger.postgres..")
        .check(main);
  }

  @Test
  void onlyTheLedgerAdapterConfigurationAndFeatureStoresTouchJdbc() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "dev.inlet.ledger.postgres..",
            "dev.inlet.config..",
            "dev.inlet.admission..",
            "dev.inlet.merchant..",
            "dev.inlet.invoice..",
            "dev.inlet.events..",
            "dev.inlet.webhook..",
            "dev.inlet.payout..",
            "dev.inlet.voucher..",
            "dev.inlet.admin.ui..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "javax.sql..", "org.springframework.jdbc..")
        .check(main);
  }
}

package dev.inlet.codec;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The codecs are pure: no framework, no database, no I/O; only the JDK's core, text and time APIs. */
class CodecDependencyRulesTest {

  @Test
  void codecDependsOnlyOnCoreJdkPackages() {
    JavaClasses codec =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.inlet.codec");
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "dev.inlet.codec..", "java.lang..", "java.util..", "java.time..", "java.nio.charset..")
        .check(codec);
  }
}

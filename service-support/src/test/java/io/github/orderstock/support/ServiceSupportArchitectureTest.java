package io.github.orderstock.support;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.github.orderstock.support", importOptions = ImportOption.DoNotIncludeTests.class)
class ServiceSupportArchitectureTest {

    @ArchTest
    static final ArchRule knowsNeitherSide = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("io.github.orderstock.command..", "io.github.orderstock.query..",
                    "io.github.orderstock.events..");
}

package io.github.orderstock.command;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.github.orderstock.command", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule knowsNothingOfTheQuerySide = noClasses()
            .should().dependOnClassesThat().resideInAPackage("io.github.orderstock.query..");

    @ArchTest
    static final ArchRule domainDoesNotKnowTheWeb = noClasses()
            .that().resideInAnyPackage("..command.product..", "..command.placement..")
            .should().dependOnClassesThat().resideInAnyPackage("..command.web..", "org.springframework.web..");
}

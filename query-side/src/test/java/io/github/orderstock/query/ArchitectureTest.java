package io.github.orderstock.query;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.github.orderstock.query", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule knowsNothingOfTheCommandSideButTheEvents = noClasses()
            .should().dependOnClassesThat().resideInAPackage("io.github.orderstock.command..");

    @ArchTest
    static final ArchRule readModelDoesNotKnowTheWeb = noClasses()
            .that().resideInAnyPackage("..query.stock..", "..query.replay..")
            .should().dependOnClassesThat().resideInAnyPackage("..query.web..", "org.springframework.web..");
}

package io.github.orderstock.events;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.axonframework.serialization.Revision;

@AnalyzeClasses(packagesOf = ContractTest.class, importOptions = ImportOption.DoNotIncludeTests.class)
class ContractTest {

    @ArchTest
    static final ArchRule eventsDependOnNothingButTheJdkAndAxonAnnotations = classes()
            .should().onlyDependOnClassesThat(resideInAnyPackage("java..", "io.github.orderstock.events..")
                    .or(equivalentTo(Revision.class)));

    @ArchTest
    static final ArchRule everyEventIsAVersionedRecord = classes()
            .that().haveSimpleNameEndingWith("Event")
            .should().beRecords().andShould().beAnnotatedWith(Revision.class).andShould().bePublic();
}

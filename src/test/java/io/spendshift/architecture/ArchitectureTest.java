package io.spendshift.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The architecture as tests: the core (policy, market model, rule engine) depends on nothing of Quarkus, JPA or
 * HTTP, and the feature packages depend on each other in one direction only.
 */
class ArchitectureTest {

    private static JavaClasses main;

    @BeforeAll
    static void importMain() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.spendshift");
    }

    @Test
    void theCoreIsFreeOfQuarkusJpaAndHttp() {
        noClasses().that().resideInAnyPackage("io.spendshift.policy..", "io.spendshift.market..",
                        "io.spendshift.rules.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "io.smallrye..", "io.vertx..",
                        "jakarta.persistence..", "org.hibernate..", "jakarta.ws.rs..", "jakarta.enterprise..",
                        "jakarta.inject..", "jakarta.transaction..", "org.jboss.resteasy..", "java.net.http..",
                        "io.spendshift.common..")
                .because("the policy, the market model and the rule engine are plain Java, testable in milliseconds")
                .check(main);
    }

    @Test
    void theCoreDependsOnlyOnTheCore() {
        noClasses().that().resideInAnyPackage("io.spendshift.policy..", "io.spendshift.market..")
                .should().dependOnClassesThat().resideInAnyPackage("io.spendshift.rules..", "io.spendshift.portfolio..",
                        "io.spendshift.run..", "io.spendshift.recommendation..", "io.spendshift.facts..")
                .check(main);
    }

    @Test
    void entitiesAndValidatorsThrowDomainExceptionsNotHttpStatuses() {
        noClasses().that().areAnnotatedWith(jakarta.persistence.Entity.class)
                .or().haveSimpleNameEndingWith("Validator")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.spendshift.common.ProblemException")
                .orShould().dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..")
                .because("a status code is chosen in one place, ProblemMappers")
                .check(main);
    }

    @Test
    void aRecommendationKnowsNothingOfTheRunThatMadeIt() {
        noClasses().that().resideInAPackage("io.spendshift.recommendation..")
                .should().dependOnClassesThat().resideInAPackage("io.spendshift.run..")
                .check(main);
    }

    @Test
    void featurePackagesAreFreeOfCycles() {
        slices().matching("io.spendshift.(*)..").should().beFreeOfCycles().check(main);
    }
}

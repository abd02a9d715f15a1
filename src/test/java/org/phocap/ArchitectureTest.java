package org.phocap;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The feature packages depend on each other in one direction only. From the bottom: platform,
 * auth, locality, staff, audit, stream, course, campaign, roster, integrity, certificate, progress,
 * quiz, report, learning, demo. A feature reacting to another's event observes a CDI event the lower
 * one defines; orchestration lives with the use case that needs it (the learner's lesson stream is
 * learning's; a completion and its certificate are certificate's).
 */
class ArchitectureTest {
    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.phocap");

    @Test
    void featurePackagesAreFreeOfCycles() {
        slices().matching("org.phocap.(*)..").should().beFreeOfCycles().check(MAIN);
    }
}

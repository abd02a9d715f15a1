package org.phocap.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportRootsTest {
    @Test
    void aScopeAboveTheCampaignBecomesTheCampaignsLocality() {
        assertEquals(List.of("/VP/"), ReportRoots.of("/VP/", new String[] {"/"}).paths());
        assertEquals(
                List.of("/VP/D1/"),
                ReportRoots.of("/VP/D1/", new String[] {"/VP/"}).paths());
    }

    @Test
    void subtreesBesideTheCampaignAreDroppedAndNestedOnesMerged() {
        ReportRoots roots =
                ReportRoots.of("/VP/", new String[] {"/HN/", "/VP/D1/C1/", "/VP/D1/", "/VP/D2/C3/", "/VP/D10/"});
        assertEquals(List.of("/VP/D1/", "/VP/D10/", "/VP/D2/C3/"), roots.paths());
        assertArrayEquals(new String[] {"D1", "D10", "C3"}, roots.codes());
        assertEquals(List.of(), ReportRoots.of("/VP/", new String[0]).paths());
    }

    @Test
    void onlyRootsAboveALevelGivePatternsForIt() {
        ReportRoots roots = ReportRoots.of("/VP/", new String[] {"/VP/D1/", "/VP/D2/C3/", "/VP/D_9/"});
        assertArrayEquals(new String[] {"/VP/D1/%", "/VP/D\\_9/%"}, roots.patternsAbove(3));
        assertArrayEquals(new String[] {"/VP/D1/%", "/VP/D2/C3/%", "/VP/D\\_9/%"}, roots.patternsAbove(4));
    }

    @Test
    void depthsAndAncestorsComeFromThePath() {
        assertEquals(1, ReportRoots.depth("/VP/"));
        assertEquals(3, ReportRoots.depth("/VP/D1/C1/"));
        assertEquals("D1", ReportRoots.codeAt("/VP/D1/C1/", 2));
        assertEquals("C1", ReportRoots.codeAt("/VP/D1/C1/", 3));
        assertEquals("", ReportRoots.codeAt("/VP/D1/C1/", 4));
    }
}

package org.phocap.integrity;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;

/**
 * A supporter reviewed a learner's flag (CLEARED or CONFIRMED), fired after the review is stored.
 * Observers add the work they start to {@link #work} (issuing certificates the flag held); the
 * review answers once it is done.
 */
public record FlagReviewed(long flagId, long learnerId, long campaignId, String decision, List<Uni<Void>> work) {
    public FlagReviewed(long flagId, long learnerId, long campaignId, String decision) {
        this(flagId, learnerId, campaignId, decision, new ArrayList<>());
    }

    public Uni<Void> observed() {
        return work.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(work).andFailFast().replaceWithVoid();
    }
}

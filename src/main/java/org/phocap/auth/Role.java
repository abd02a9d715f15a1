package org.phocap.auth;

/** The three roles of the contract; staff carry a locality scope, learners act only as themselves. */
public final class Role {
    public static final String ADMIN = "ADMIN";
    public static final String SUPPORTER = "SUPPORTER";
    public static final String LEARNER = "LEARNER";

    private Role() {}
}

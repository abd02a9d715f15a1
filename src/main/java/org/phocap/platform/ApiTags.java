package org.phocap.platform;

/** The OpenAPI tags, one per feature, as the Swagger UI groups the operations (docs/api.md has the same sections). */
public final class ApiTags {
    private ApiTags() {}

    public static final String SIGN_IN = "Sign-in";
    public static final String SIGN_IN_ABOUT =
            "Signing in (staff: username and password; learners: phone and PIN), activation with a code, PIN change, token refresh and sign-out, stream tickets for EventSource";
    public static final String STAFF = "Staff";
    public static final String STAFF_ABOUT = "Staff accounts (ADMIN, SUPPORTER) and their locality scopes";
    public static final String LOCALITIES = "Localities";
    public static final String LOCALITIES_ABOUT =
            "The locality tree (province, districts, communes, villages) and help desks";
    public static final String CAMPAIGNS = "Campaigns";
    public static final String CAMPAIGNS_ABOUT =
            "Campaigns, waves and the wave planner, support contacts, at-risk call lists, announcements";
    public static final String ROSTERS = "Rosters and learners";
    public static final String ROSTERS_ABOUT =
            "Roster imports (CSV or .xlsx) with their progress and rejected rows, activation codes, learners, account recovery, the learner's profile";
    public static final String COURSES = "Courses";
    public static final String COURSES_ABOUT = "Course packages and versions, lessons, media with ranges, broadcasts";
    public static final String STUDY = "Study progress";
    public static final String STUDY_ABOUT =
            "Heartbeats (single and offline batches), per-lesson progress, the learner's courses";
    public static final String QUIZZES = "Quizzes";
    public static final String QUIZZES_ABOUT = "Quiz attempts: the paper, autosave, submission and grading, review";
    public static final String CERTIFICATES = "Certificates";
    public static final String CERTIFICATES_ABOUT =
            "Certificates: the learner's list, PDFs, staff listings and CSV, revocation, public verification";
    public static final String INTEGRITY = "Integrity";
    public static final String INTEGRITY_ABOUT =
            "Signs of someone studying in another's name, their review, and each campaign's certificate policy";
    public static final String REPORTS = "Reports";
    public static final String REPORTS_ABOUT =
            "Completion reports by locality and other groupings, leaderboards, live counters";
    public static final String AUDIT = "Audit";
    public static final String AUDIT_ABOUT = "Staff actions that touched learners, newest first";
}

package phocap;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Choice;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reports at scale (issue 7): CONCURRENCY staff clients ask for reports and leaderboards back to
 * back for SECONDS, the ADMIN (whole province) and a district supporter, every kind of report in
 * equal share. Fails unless every request succeeds with p99 ≤ 200 ms.
 */
public class ReportSimulation extends Simulation {
    static final String BASE = System.getProperty("baseUrl", "http://127.0.0.1:18082");
    static final long CAMPAIGN = Long.getLong("campaignId", 1);
    static final int CONCURRENCY = Integer.getInteger("concurrency", 8);
    static final int SECONDS = Integer.getInteger("seconds", 60);
    static final String ADMIN = System.getProperty("adminToken", "");
    static final String SUPPORTER = System.getProperty("supporterToken", "");

    static ChainBuilder call(String name, String query, String token) {
        return exec(http(name)
                .get("/api/v1/campaigns/" + CAMPAIGN + query)
                .header("Authorization", "Bearer " + token)
                .check(status().is(200), jsonPath("$.rows").exists()));
    }

    static final List<ChainBuilder> CALLS = List.of(
            call("report locality level 1 (admin)", "/report?groupBy=locality&level=1", ADMIN),
            call("report locality level 2 (admin)", "/report?groupBy=locality&level=2", ADMIN),
            call("report locality level 3 (admin)", "/report?groupBy=locality&level=3", ADMIN),
            call("report gender (admin)", "/report?groupBy=gender", ADMIN),
            call("report nominatedBy (admin)", "/report?groupBy=nominatedBy", ADMIN),
            call("report wave (admin)", "/report?groupBy=wave", ADMIN),
            call("report ethnicity (admin)", "/report?groupBy=ethnicity", ADMIN),
            call("report targetGroup (admin)", "/report?groupBy=targetGroup", ADMIN),
            call("leaderboard level 2 (admin)", "/leaderboard?level=2", ADMIN),
            call("leaderboard level 3 (admin)", "/leaderboard?level=3", ADMIN),
            call("report locality level 2 (district supporter)", "/report?groupBy=locality&level=2", SUPPORTER),
            call("report gender (district supporter)", "/report?groupBy=gender", SUPPORTER));

    static Choice.WithWeight[] choices() {
        List<Choice.WithWeight> choices = new ArrayList<>();
        double share = 100.0 / CALLS.size();
        for (ChainBuilder c : CALLS) {
            choices.add(new Choice.WithWeight(share, c));
        }
        return choices.toArray(Choice.WithWeight[]::new);
    }

    HttpProtocolBuilder protocol =
            http.baseUrl(BASE).acceptHeader("application/json").shareConnections();

    ScenarioBuilder staff = scenario("reports").forever().on(randomSwitch().on(choices()));

    {
        setUp(staff.injectClosed(constantConcurrentUsers(CONCURRENCY).during(Duration.ofSeconds(SECONDS))))
                .maxDuration(Duration.ofSeconds(SECONDS))
                .protocols(protocol)
                .assertions(
                        global().failedRequests().count().is(0L),
                        global().responseTime().percentile(99.0).lte(200));
    }
}

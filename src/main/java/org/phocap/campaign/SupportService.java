package org.phocap.campaign;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.phocap.campaign.SupportDtos.Contact;
import org.phocap.campaign.SupportDtos.SetSupport;
import org.phocap.campaign.SupportDtos.SupportView;
import org.phocap.locality.LocalityService;
import org.phocap.locality.Scope;
import org.phocap.platform.Json;
import org.phocap.platform.ProblemException;

/** Support per locality; a learner gets the nearest one up their tree (village, then commune, district, province). */
@ApplicationScoped
public class SupportService {
    private static final String COLUMNS = """
            s.locality_code, l.name AS locality, s.channel_url, s.hotline, s.contacts::text AS contacts, s.updated_at""";

    private final Pool pool;
    private final LocalityService localities;
    private final Json json;

    public SupportService(Pool pool, LocalityService localities, Json json) {
        this.pool = pool;
        this.localities = localities;
        this.json = json;
    }

    public Uni<SupportView> set(String code, SetSupport request, long staffId, Scope scope) {
        return localities
                .get(code, scope)
                .flatMap(locality -> pool.preparedQuery("""
                                INSERT INTO locality_support (locality_code, channel_url, hotline, contacts, updated_by, updated_at)
                                VALUES ($1, $2, $3, $4::text::jsonb, $5, now())
                                ON CONFLICT (locality_code) DO UPDATE SET channel_url = excluded.channel_url,
                                    hotline = excluded.hotline, contacts = excluded.contacts, updated_by = excluded.updated_by,
                                    updated_at = excluded.updated_at""").execute(Tuple.from(new Object[] {
                    locality.code(),
                    blankToNull(request.channelUrl()),
                    blankToNull(request.hotline()),
                    json.write(request.contacts().stream()
                            .map(c -> new Contact(
                                    c.name().strip(),
                                    blankToNull(c.role()),
                                    c.phone().strip()))
                            .toList()),
                    staffId
                })))
                .flatMap(done -> get(code, scope));
    }

    public Uni<SupportView> get(String code, Scope scope) {
        return localities
                .get(code, scope)
                .flatMap(locality -> pool.preparedQuery(
                                "SELECT " + COLUMNS
                                        + " FROM locality_support s JOIN locality_view l ON l.code = s.locality_code WHERE s.locality_code = $1")
                        .execute(Tuple.of(locality.code())))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("No support is set for locality " + code + ".");
                    }
                    return view(rows.iterator().next());
                });
    }

    /** The nearest support up the learner's tree; 404 when none is set anywhere above them. */
    public Uni<SupportView> forLearner(long learnerId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " " + """
                        FROM learner_view le JOIN locality_view home ON home.code = le.locality_code
                        JOIN locality_view l ON l.code = ANY (string_to_array(trim(BOTH '/' FROM home.path), '/'))
                        JOIN locality_support s ON s.locality_code = l.code
                        WHERE le.id = $1 ORDER BY l.level DESC LIMIT 1""")
                .execute(Tuple.of(learnerId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("No support is set up for your area yet.");
                    }
                    return view(rows.iterator().next());
                });
    }

    private SupportView view(Row r) {
        return new SupportView(
                r.getString("locality_code"),
                r.getString("locality"),
                r.getString("channel_url"),
                r.getString("hotline"),
                List.of(json.read(r.getString("contacts"), Contact[].class)),
                r.getOffsetDateTime("updated_at").toInstant());
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}

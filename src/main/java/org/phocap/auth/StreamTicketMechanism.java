package org.phocap.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Signs in a Server-Sent Events request by its {@code ?ticket=} (see {@link StreamTickets}): only a
 * GET that accepts {@code text/event-stream}, so a ticket opens a stream and nothing else. A request
 * without a ticket is left to the bearer-token mechanism.
 */
@ApplicationScoped
@Priority(2000)
public class StreamTicketMechanism implements HttpAuthenticationMechanism {
    static final String PARAM = "ticket";

    /** The ticket as the identity provider receives it. */
    public static final class TicketRequest extends BaseAuthenticationRequest {
        final String ticket;

        TicketRequest(String ticket) {
            this.ticket = ticket;
        }
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String ticket = ticketOf(context.request());
        return ticket == null ? Uni.createFrom().nullItem() : identities.authenticate(new TicketRequest(ticket));
    }

    /**
     * The request's {@code ?ticket=} when it is a GET that accepts {@code text/event-stream}; null
     * otherwise: a ticket elsewhere is a mistake or a probe, it authenticates nothing (and is not spent).
     */
    public static String ticketOf(HttpServerRequest request) {
        String ticket = request.getParam(PARAM);
        String accept = request.getHeader("Accept");
        if (ticket == null
                || request.method() != HttpMethod.GET
                || accept == null
                || !accept.contains("text/event-stream")) {
            return null;
        }
        return ticket;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TicketRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.OTHER_HEADER, PARAM));
    }

    /** Takes the ticket and answers the identity of the token it stands for (or fails: 401). */
    @ApplicationScoped
    public static class Provider implements IdentityProvider<TicketRequest> {
        private final StreamTickets tickets;

        public Provider(StreamTickets tickets) {
            this.tickets = tickets;
        }

        @Override
        public Class<TicketRequest> getRequestType() {
            return TicketRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(TicketRequest request, AuthenticationRequestContext context) {
            return tickets.holder(request.ticket).map(token -> {
                if (token == null) {
                    throw new AuthenticationFailedException(StreamTickets.REFUSED);
                }
                return QuarkusSecurityIdentity.builder()
                        .setPrincipal(token)
                        .addRoles(token.getGroups())
                        .build();
            });
        }
    }
}

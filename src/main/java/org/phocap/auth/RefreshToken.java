package org.phocap.auth;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A refresh token, stored only as its SHA-256; used once, then replaced by the next in its family. */
@Entity
@Table(name = "refresh_token")
public class RefreshToken extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "token_hash")
    public String tokenHash;

    public UUID family;

    @Column(name = "subject_kind")
    public String subjectKind;

    @Column(name = "subject_id")
    public Long subjectId;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "used_at")
    public Instant usedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "created_at", insertable = false, updatable = false)
    public Instant createdAt;
}

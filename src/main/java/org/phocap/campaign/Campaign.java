package org.phocap.campaign;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "campaign")
public class Campaign extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;
    public int year;

    @Column(name = "locality_code")
    public String localityCode;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "course_ids", columnDefinition = "bigint[]")
    public Long[] courseIds;

    @Column(name = "target_learners")
    public int targetLearners;

    @Column(name = "certificate_prefix")
    public String certificatePrefix;

    @Column(name = "issuing_body")
    public String issuingBody;

    @Column(name = "created_at", insertable = false, updatable = false)
    public Instant createdAt;
}

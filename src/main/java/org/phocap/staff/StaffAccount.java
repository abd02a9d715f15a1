package org.phocap.staff;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
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
@Table(name = "staff_account")
public class StaffAccount extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String username;

    @Column(name = "password_hash")
    public String passwordHash;

    public String role;
    /** Locality codes whose subtrees this account sees; "*" is the whole tree. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public String[] scope;

    @Column(name = "full_name")
    public String fullName;

    public String phone;

    @Column(name = "created_at", insertable = false, updatable = false)
    public Instant createdAt;
    /** Set while a generated first password has been printed but not yet used to sign in. */
    @Column(name = "password_generated_at")
    public Instant passwordGeneratedAt;

    public static Uni<StaffAccount> findByUsername(String username) {
        return find("username", username).firstResult();
    }
}

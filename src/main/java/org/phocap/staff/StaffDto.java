package org.phocap.staff;

import java.time.Instant;
import java.util.List;

public record StaffDto(long id, String username, String role, List<String> scope, String fullName, Instant createdAt) {
    static StaffDto of(StaffAccount account) {
        return new StaffDto(
                account.id,
                account.username,
                account.role,
                List.of(account.scope),
                account.fullName,
                account.createdAt);
    }
}

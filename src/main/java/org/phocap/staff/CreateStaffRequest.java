package org.phocap.staff;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

public record CreateStaffRequest(
        @NotBlank
        @Size(min = 3, max = 100)
        @Pattern(regexp = "[A-Za-z0-9_.@-]+", message = "letters, digits, '.', '_', '@' or '-' only")
        String username,

        @NotNull @Size(min = 8, max = 128) String password,

        @NotNull @Pattern(regexp = "ADMIN|SUPPORTER", message = "must be ADMIN or SUPPORTER")
        String role,

        @NotEmpty @Size(max = 200) List<@NotBlank String> scope,
        @NotBlank @Size(max = 200) String fullName,
        @Size(max = 32) String phone) {}

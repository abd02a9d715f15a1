package org.phocap.auth;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Bodies of the /auth calls. */
public final class AuthRequests {
    private AuthRequests() {}

    public record Login(
            @NotBlank @Size(max = 100) String username,
            @NotNull @Size(max = 128) String password) {}

    public record Activate(
            @NotBlank @Size(max = 32) String phone,
            @NotBlank @Size(max = 16) String code,

            @NotNull @Pattern(regexp = "\\d{6}", message = "must be exactly 6 digits")
            String pin) {}

    public record Refresh(@NotBlank @Size(max = 200) String refreshToken) {}

    public record ChangePin(
            @NotNull @Pattern(regexp = "\\d{6}", message = "must be exactly 6 digits")
            String currentPin,

            @NotNull @Pattern(regexp = "\\d{6}", message = "must be exactly 6 digits")
            String newPin) {}
}

package org.phocap.campaign;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/** Where learners get help: a group channel (e.g. a Zalo group link), a hotline and named contacts. */
public final class SupportDtos {
    private SupportDtos() {}

    public record Contact(
            @NotBlank @Size(max = 200) String name,
            @Size(max = 100) String role,

            @NotBlank @Pattern(regexp = "[0-9 +().-]{3,20}", message = "a phone number")
            String phone) {}

    public record SetSupport(
            @Size(max = 500) @Pattern(regexp = "https?://\\S+", message = "an http(s) link")
            String channelUrl,

            @Pattern(regexp = "[0-9 +().-]{3,20}", message = "a phone number")
            String hotline,

            @NotNull @Size(max = 20) List<@Valid @NotNull Contact> contacts) {}

    /** The support of a locality; for a learner, the nearest one up their tree. */
    public record SupportView(
            String localityCode,
            String locality,
            String channelUrl,
            String hotline,
            List<Contact> contacts,
            Instant updatedAt) {}
}

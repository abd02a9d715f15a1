package org.phocap.roster;

/** A row that passed every check, ready to upsert. */
record RosterRow(
        int line,
        String phone,
        String fullName,
        Integer birthYear,
        String gender,
        String ethnicity,
        String localityCode,
        String nominatedBy,
        String targetGroup,
        String nationalId,
        boolean samePerson,
        String raw) {}

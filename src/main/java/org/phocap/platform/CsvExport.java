package org.phocap.platform;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.resteasy.reactive.RestMulti;

/**
 * CSV exports of any length: rows are read a chunk at a time (the supplier remembers where the
 * last chunk ended) and written out as they come, so neither the database nor the heap holds the
 * whole list at once.
 */
public final class CsvExport {
    private CsvExport() {}

    /** The header, then each chunk's lines, until a chunk comes back shorter than {@code chunkSize}. */
    public static <T> Multi<String> stream(
            String header, Supplier<Uni<List<T>>> nextChunk, int chunkSize, Function<T, String> line) {
        Multi<String> rows = Multi.createBy()
                .repeating()
                .<List<T>>uni(nextChunk::get)
                .whilst(chunk -> chunk.size() == chunkSize)
                .map(chunk -> {
                    StringBuilder out = new StringBuilder();
                    chunk.forEach(item -> out.append(line.apply(item)));
                    return out.toString();
                })
                .filter(text -> !text.isEmpty());
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(header), rows);
    }

    /** A streamed CSV answer with a plain {@code text/csv} type (no quality parameter from {@code @Produces}). */
    public static Multi<String> response(Multi<String> csv) {
        return RestMulti.fromMultiData(csv)
                .header("Content-Type", "text/csv;charset=UTF-8")
                .build();
    }
}

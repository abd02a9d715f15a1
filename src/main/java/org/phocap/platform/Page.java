package org.phocap.platform;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** One page of a list: items plus what a client needs to fetch the next. */
public record Page<T>(List<T> items, int page, int size, long total) {

    /** From a query that selects {@code count(*) OVER () AS total} beside each row. */
    public static <T> Page<T> of(RowSet<Row> rows, Function<Row, T> mapper, int page, int size) {
        List<T> items = new ArrayList<>(rows.size());
        long total = 0;
        for (Row row : rows) {
            items.add(mapper.apply(row));
            total = row.getLong("total");
        }
        return new Page<>(items, page, size, total);
    }
}

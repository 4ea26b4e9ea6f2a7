package dev.ferrymq;

import java.util.List;
import java.util.Objects;

/**
 * One page of a listing ({@link Broker#queues(String, int)}, {@link Broker#topics(String, int)}), sorted by name.
 *
 * @param items the page's items, at most the limit asked for
 * @param next the name to pass as {@code after} for the next page, or {@code null} on the last page
 * @param <T> the items' type
 */
public record Page<T>(List<T> items, String next) {

  /** The page size when none is given. */
  public static final int DEFAULT_LIMIT = 100;
  /** The largest page. */
  public static final int MAX_LIMIT = 1000;

  /** @param items the page's items @param next the cursor of the next page, or {@code null} */
  public Page {
    items = List.copyOf(Objects.requireNonNull(items, "items"));
  }

  /**
   * @return {@code limit} when it lies in 1..{@link #MAX_LIMIT}; else an {@link InvalidRequestException} is thrown
   */
  public static int checkLimit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidRequestException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
    return limit;
  }
}

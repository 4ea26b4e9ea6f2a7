package dev.ferrymq;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move forward, so lease and delay expiry need no waiting. */
public final class MutableClock extends Clock {

  private final AtomicLong offset = new AtomicLong();

  public void advance(Duration d) {
    offset.addAndGet(d.toMillis());
  }

  @Override
  public long millis() {
    return System.currentTimeMillis() + offset.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}

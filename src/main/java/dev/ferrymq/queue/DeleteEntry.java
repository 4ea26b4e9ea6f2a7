package dev.ferrymq.queue;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/** Removes an entry on its partition; used to delete a batch of acked messages in one call. Answers nothing. */
final class DeleteEntry implements EntryProcessor<String, byte[], Boolean> {

  static final DeleteEntry INSTANCE = new DeleteEntry();
  private static final long serialVersionUID = 1L;

  @Override
  public Boolean process(Map.Entry<String, byte[]> entry) {
    entry.setValue(null); // removes it; reading the value first would deserialize (copy) it for nothing
    return null;
  }
}

package dev.ferrymq.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spi.merge.PutIfAbsentMergePolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * What FerryMQ's Hazelcast structures need so that a member confirms only what it may: a synchronous backup,
 * split-brain protection (a member of a minority refuses writes), and a merge policy that keeps every message of both
 * sides after a split — as {@code cluster-config/hazelcast.xml} declares them. Adds them to the configs FerryMQ
 * builds, and checks them on a Hazelcast member an application brings.
 */
public final class ClusterProtection {

  /** The split-brain protection FerryMQ's structures refer to. */
  public static final String MAJORITY = "ferrymq-majority";

  private static final String QUEUES = HazelcastSupport.QUEUE_MAP_PREFIX + "*";
  private static final String META = "ferrymq.meta.*";
  private static final String TOPICS = HazelcastSupport.TOPIC_RING_PREFIX + "*";

  private ClusterProtection() {
  }

  /**
   * Declares split-brain protection with a majority of {@code members} on a config FerryMQ builds. Two members have
   * no majority that survives the loss of one: there it admits one member (both sides of a split confirm, and their
   * maps are merged by key afterwards), said explicitly rather than left out.
   */
  static void addMajority(Config config, int members) {
    config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(MAJORITY, true,
      members >= 3 ? members / 2 + 1 : 1));
  }

  /**
   * Protects FerryMQ's structures on a config before the member starts (merge policies; backups; the split-brain
   * protection {@link #MAJORITY} where the config declares it).
   */
  static void protect(Config config, MapConfig queues) {
    boolean majority = config.getSplitBrainProtectionConfigs().containsKey(MAJORITY);
    queues.getMergePolicyConfig().setPolicy(PutIfAbsentMergePolicy.class.getName());
    MapConfig meta = new MapConfig(META).setBackupCount(1);
    meta.getMergePolicyConfig().setPolicy(PutIfAbsentMergePolicy.class.getName());
    if (majority) {
      queues.setSplitBrainProtectionName(MAJORITY);
    }
    config.addMapConfig(queues);
    config.addMapConfig(meta);
  }

  /**
   * @return the config of topic ring {@code ringName} (its name without the partition key): {@code capacity} and
   *     {@code ttlSeconds}, with the backups and split-brain protection of the queues' map. Set per topic, never by a
   *     static wildcard config: one would win over it and fix every topic's capacity
   */
  public static RingbufferConfig topicRing(Config config, String ringName, int capacity, int ttlSeconds) {
    MapConfig queues = config.findMapConfig(HazelcastSupport.QUEUE_MAP_PREFIX + "any");
    return new RingbufferConfig(ringName).setCapacity(capacity).setTimeToLiveSeconds(ttlSeconds)
      .setBackupCount(Math.max(1, queues.getBackupCount()))
      .setSplitBrainProtectionName(queues.getSplitBrainProtectionName());
  }

  /**
   * @return what the config of {@code hz} (an application's member) lacks for FerryMQ to confirm safely, in words;
   *     empty when nothing
   */
  public static List<String> missing(HazelcastInstance hz) {
    Config config = hz.getConfig();
    List<String> missing = new ArrayList<>();
    MapConfig queues = config.getMapConfigs().get(QUEUES);
    if (queues == null) {
      missing.add("no map config '" + QUEUES + "'");
    } else {
      if (queues.getBackupCount() < 1) {
        missing.add("map '" + QUEUES + "' has no synchronous backup (backup-count 0)");
      }
      if (!enabled(config, queues.getSplitBrainProtectionName())) {
        missing.add("map '" + QUEUES + "' has no enabled split-brain protection");
      }
      if (!PutIfAbsentMergePolicy.class.getName().equals(queues.getMergePolicyConfig().getPolicy())
        && !"PutIfAbsentMergePolicy".equals(queues.getMergePolicyConfig().getPolicy())) {
        missing.add("map '" + QUEUES + "' does not merge with PutIfAbsentMergePolicy (a split would drop messages)");
      }
    }
    if (config.getRingbufferConfigs().containsKey(TOPICS)) {
      missing.add("a ringbuffer config '" + TOPICS + "' would override each topic's capacity and TTL: remove it"
        + " (FerryMQ configures each topic's ringbuffer with the protection of '" + QUEUES + "')");
    }
    if (config.getMapConfigs().get(META) == null) {
      missing.add("no map config '" + META + "'");
    }
    return missing;
  }

  /**
   * @return the fewest members with which FerryMQ's queues may be written (their split-brain protection), 1 if none or
   *     if a function given in code decides instead of the member count
   */
  public static int minimumMembers(HazelcastInstance hz) {
    SplitBrainProtectionConfig protection = protectionOf(hz);
    return protection != null && protection.isEnabled() && protection.getFunctionImplementation() == null
      ? Math.max(1, protection.getMinimumClusterSize()) : 1;
  }

  /**
   * @return whether the split-brain protection of FerryMQ's queues lets this member write now (it has seen enough
   *     members; right after a start it has not decided yet), true without one
   */
  public static boolean mayWrite(HazelcastInstance hz) {
    SplitBrainProtectionConfig protection = protectionOf(hz);
    return protection == null || !protection.isEnabled()
      || hz.getSplitBrainProtectionService().getSplitBrainProtection(protection.getName()).hasMinimumSize();
  }

  private static SplitBrainProtectionConfig protectionOf(HazelcastInstance hz) {
    Config config = hz.getConfig();
    String name = config.findMapConfig(HazelcastSupport.QUEUE_MAP_PREFIX + "any").getSplitBrainProtectionName();
    return name == null ? null : config.getSplitBrainProtectionConfigs().get(name);
  }

  private static boolean enabled(Config config, String name) {
    SplitBrainProtectionConfig protection = name == null ? null : config.getSplitBrainProtectionConfigs().get(name);
    return protection != null && protection.isEnabled();
  }
}

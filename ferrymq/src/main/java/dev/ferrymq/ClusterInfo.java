package dev.ferrymq;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * What a node sees of its cluster.
 *
 * @param nodeId this node's id
 * @param members every member, this one included
 * @param safe whether this member's partitions are all backed up (no migration in progress that could lose data)
 * @param owners for each queue ({@code queue:<name>}) and topic ({@code topic:<name>}), the id of the node that owns it
 * @param subscribers for each topic with subscribers, how many there are on all members that answered (a member that
 *     did not answer within 2 s is left out of the sums)
 */
public record ClusterInfo(String nodeId, List<Member> members, boolean safe, Map<String, String> owners,
                          Map<String, Integer> subscribers) {

  /** A view without subscriber counts. */
  public ClusterInfo(String nodeId, List<Member> members, boolean safe, Map<String, String> owners) {
    this(nodeId, members, safe, owners, Map.of());
  }

  /**
   * A member of the cluster.
   *
   * @param id its node id
   * @param address its Hazelcast address
   * @param local whether it is this node
   */
  public record Member(String id, String address, boolean local) {
  }

  /** @return the JSON form */
  public JsonObject toJson() {
    JsonArray ms = new JsonArray();
    members.forEach(m -> ms.add(new JsonObject().put("id", m.id()).put("address", m.address()).put("local", m.local())));
    return new JsonObject().put("node", nodeId).put("safe", safe).put("members", ms)
      .put("owners", new JsonObject(Map.copyOf(owners)))
      .put("subscribers", new JsonObject(Map.copyOf(subscribers)));
  }
}

package dev.ferrymq.server;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line each time a member joins or leaves the cluster (Hazelcast's own lines are turned down to WARN). */
final class MembershipLog implements MembershipListener {

  private static final Logger LOG = LoggerFactory.getLogger("dev.ferrymq.cluster");

  @Override
  public void memberAdded(MembershipEvent event) {
    LOG.info("member {} joined the cluster: {} members", describe(event.getMember()), event.getMembers().size());
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    LOG.info("member {} left the cluster: {} members", describe(event.getMember()), event.getMembers().size());
  }

  private static String describe(Member member) {
    return member.getAddress() + " (" + member.getUuid() + ")";
  }
}

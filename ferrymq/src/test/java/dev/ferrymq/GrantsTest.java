package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferrymq.Grants.Action;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The documented pattern semantics of grants. */
class GrantsTest {

  @Test
  void starMatchesAnyRunOfCharactersDotsIncluded() {
    assertThat(Grants.matches("orders.*", "orders.eu")).isTrue();
    assertThat(Grants.matches("orders.*", "orders.eu.paris")).isTrue();
    assertThat(Grants.matches("orders.*", "orders")).isFalse();
    assertThat(Grants.matches("orders.*", "ordersx")).isFalse();
    assertThat(Grants.matches("*", "anything.at.all")).isTrue();
    assertThat(Grants.matches("jobs", "jobs")).isTrue();
    assertThat(Grants.matches("jobs", "Jobs")).isFalse();
    assertThat(Grants.matches("jobs", "jobs2")).isFalse();
    assertThat(Grants.matches("*.dlq", "jobs.dlq")).isTrue();
    assertThat(Grants.matches("a*b*c", "a-x-b-y-c")).isTrue();
    assertThat(Grants.matches("a*b*c", "a-x-c-y-b")).isFalse();
    assertThat(Grants.matches("*.*.*.*.*x", "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.y")).isFalse();
  }

  @Test
  void grantsFromTheTokenClaim() {
    Grants g = Grants.fromJson(new JsonObject(
      "{\"publish\":[\"orders.*\"],\"subscribe\":[\"prices.*\"],\"consume\":[\"jobs\"],\"request\":[\"svc.*\"]}"));
    assertThat(g.allows(Action.PUBLISH, "orders.eu")).isTrue();
    assertThat(g.allows(Action.SUBSCRIBE, "orders.eu")).isFalse();
    assertThat(g.allows(Action.CONSUME, "jobs")).isTrue();
    assertThat(g.allows(Action.CONSUME, "jobs.dlq")).isFalse();
    assertThat(g.allows(Action.REQUEST, "svc.pricing")).isTrue();
    assertThat(g.admin()).isFalse();
    assertThat(Grants.fromJson(g.toJson())).isEqualTo(g);
    assertThat(Grants.NONE.isEmpty()).isTrue();
    assertThatThrownBy(() -> Grants.fromJson(new JsonObject().put("publish", "orders.*")))
      .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> Grants.fromJson(new JsonObject("{\"publish\":[\"orders/#\"]}")))
      .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> Grants.fromJson(new JsonObject("{\"admin\":\"yes\"}")))
      .isInstanceOf(InvalidRequestException.class);
  }
}

package dev.ferrymq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class TopicPatternTest {

  @Test
  void starMatchesExactlyOneSegment() {
    TopicPattern p = new TopicPattern("orders.*");
    assertThat(p.matches("orders.eu")).isTrue();
    assertThat(p.matches("orders.us-east")).isTrue();
    assertThat(p.matches("orders")).isFalse();
    assertThat(p.matches("orders.")).isFalse();
    assertThat(p.matches("orders.eu.paris")).isFalse();
    assertThat(p.matches("orderseu")).isFalse();
    assertThat(p.matches("prices.eu")).isFalse();
    assertThat(new TopicPattern("*.eu").matches("orders.eu")).isTrue();
    assertThat(new TopicPattern("*.eu").matches("orders.us")).isFalse();
    assertThat(new TopicPattern("a.*.c").matches("a.b.c")).isTrue();
    assertThat(new TopicPattern("a.*.c").matches("a.b.x.c")).isFalse();
  }

  @Test
  void gtMatchesOneOrMoreRemainingSegments() {
    TopicPattern p = new TopicPattern("orders.>");
    assertThat(p.matches("orders.eu")).isTrue();
    assertThat(p.matches("orders.eu.paris")).isTrue();
    assertThat(p.matches("orders")).isFalse();
    assertThat(p.matches("orders.")).isFalse();
    assertThat(p.matches("prices.eu")).isFalse();
    assertThat(new TopicPattern(">").matches("anything.at.all")).isTrue();
    assertThat(new TopicPattern("*.>").matches("a")).isFalse();
    assertThat(new TopicPattern("*.>").matches("a.b")).isTrue();
  }

  @Test
  void aNameWithoutWildcardMatchesItselfOnly() {
    TopicPattern p = new TopicPattern("orders.eu");
    assertThat(p.isWildcard()).isFalse();
    assertThat(p.matches("orders.eu")).isTrue();
    assertThat(p.matches("orders.eu.paris")).isFalse();
    assertThat(TopicPattern.isPattern("orders.*")).isTrue();
    assertThat(TopicPattern.isPattern("orders.>")).isTrue();
    assertThat(TopicPattern.isPattern("orders.eu")).isFalse();
  }

  @Test
  void wildcardsAreWholeSegmentsAndGtComesLast() {
    for (String bad : new String[] {"ord*", "orders.>.eu", "orders.e>", "a b.*", "", "x".repeat(201), "orders.*x"}) {
      assertThatThrownBy(() -> new TopicPattern(bad)).as(bad).isInstanceOf(InvalidRequestException.class);
    }
  }

  @Test
  void aGrantCoversAPatternOnlyWhenItCoversEveryNameThePatternMatches() {
    Grants g = Grants.fromJson(new JsonObject().put("subscribe", new JsonArray().add("orders.*")));
    assertThat(g.allows(Grants.Action.SUBSCRIBE, "orders.*")).isTrue();
    assertThat(g.allows(Grants.Action.SUBSCRIBE, "orders.>")).isTrue(); // a grant's * spans dots
    assertThat(g.allows(Grants.Action.SUBSCRIBE, "orders.eu")).isTrue();
    assertThat(g.allows(Grants.Action.SUBSCRIBE, "*")).isFalse();
    assertThat(g.allows(Grants.Action.SUBSCRIBE, ">")).isFalse();
    assertThat(g.allows(Grants.Action.SUBSCRIBE, "*.eu")).isFalse();
    Grants narrow = Grants.fromJson(new JsonObject().put("subscribe", new JsonArray().add("orders.eu")
      .add("prices.*.eu")));
    assertThat(narrow.allows(Grants.Action.SUBSCRIBE, "orders.*")).isFalse();
    assertThat(narrow.allows(Grants.Action.SUBSCRIBE, "prices.*.eu")).isTrue();
    assertThat(narrow.allows(Grants.Action.SUBSCRIBE, "prices.>")).isFalse();
    assertThat(narrow.allows(Grants.Action.SUBSCRIBE, "prices.x.eu")).isTrue();
    Grants prefix = Grants.fromJson(new JsonObject().put("subscribe", new JsonArray().add("orders.e*")));
    assertThat(prefix.allows(Grants.Action.SUBSCRIBE, "orders.*")).isFalse();
    assertThat(prefix.allows(Grants.Action.SUBSCRIBE, "orders.eu")).isTrue();
  }
}

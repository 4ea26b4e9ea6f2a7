package dev.ferrymq.mercure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferrymq.InvalidRequestException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class MercureClaimsTest {

  private static final String BOOK = "https://example.com/books/1";
  private static final String USER = "https://example.com/users/42";

  private static MercureClaims claims(List<String> publish, List<String> subscribe) {
    return MercureClaims.fromToken(new JsonObject().put("mercure", new JsonObject()
      .put("publish", new JsonArray(publish)).put("subscribe", new JsonArray(subscribe))));
  }

  private static Update update(boolean priv, String... topics) {
    return new Update(List.of(topics), "urn:uuid:1", null, null, priv, "d");
  }

  private static List<TopicSelector> selectors(String... s) {
    return java.util.Arrays.stream(s).map(TopicSelector::of).toList();
  }

  @Test
  void publishingNeedsEveryTopicCovered() {
    MercureClaims c = claims(List.of("https://example.com/books/{id}"), List.of());
    assertThat(c.canPublish(List.of(BOOK))).isTrue();
    assertThat(c.canPublish(List.of(BOOK, "https://example.com/books/2"))).isTrue();
    assertThat(c.canPublish(List.of(BOOK, USER))).isFalse();
    assertThat(claims(List.of("*"), List.of()).canPublish(List.of(BOOK, USER))).isTrue();
    assertThat(MercureClaims.NONE.canPublish(List.of(BOOK))).isFalse();
  }

  @Test
  void aPublicUpdateReachesEveryMatchingSubscriber() {
    assertThat(MercureClaims.NONE.canReceive(update(false, BOOK), selectors(BOOK))).isTrue();
    assertThat(MercureClaims.NONE.canReceive(update(false, USER, BOOK), selectors(BOOK))).isTrue();
    assertThat(MercureClaims.NONE.canReceive(update(false, USER), selectors(BOOK))).isFalse();
    assertThat(MercureClaims.NONE.canReceive(update(false, USER), selectors("*"))).isTrue();
  }

  @Test
  void aPrivateUpdateNeedsTheSubscribeClaim() {
    Update priv = update(true, USER);
    assertThat(MercureClaims.NONE.canReceive(priv, selectors(USER))).isFalse();
    assertThat(MercureClaims.NONE.canReceive(priv, selectors("*"))).isFalse();
    assertThat(claims(List.of(), List.of(USER)).canReceive(priv, selectors(USER))).isTrue();
    assertThat(claims(List.of(), List.of("https://example.com/users/{id}")).canReceive(priv, selectors("*"))).isTrue();
    assertThat(claims(List.of(), List.of(BOOK)).canReceive(priv, selectors(USER))).isFalse();
    // The claim alone is not a subscription: the selectors must match as well.
    assertThat(claims(List.of(), List.of("*")).canReceive(priv, selectors(BOOK))).isFalse();
  }

  @Test
  void anAlternateTopicCanAuthorizeAPrivateUpdate() {
    Update priv = update(true, BOOK, USER);
    assertThat(claims(List.of(), List.of(USER)).canReceive(priv, selectors(BOOK))).isTrue();
  }

  @Test
  void aTokenWithoutTheClaimAllowsNothingAndAMalformedOneIsRefused() {
    assertThat(MercureClaims.fromToken(new JsonObject().put("sub", "x"))).isEqualTo(MercureClaims.NONE);
    assertThatThrownBy(() -> MercureClaims.fromToken(new JsonObject().put("mercure", "all")))
      .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> MercureClaims.fromToken(new JsonObject().put("mercure",
      new JsonObject().put("publish", "*")))).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void anUpdateIsWrittenAsOneSseEvent() {
    Update u = new Update(List.of(BOOK), "urn:uuid:9", "book", 3000L, false, "line1\nline2\r\nline3");
    assertThat(u.sse())
      .isEqualTo("id: urn:uuid:9\nevent: book\nretry: 3000\ndata: line1\ndata: line2\ndata: line3\n\n");
    assertThat(update(false, BOOK).sse()).isEqualTo("id: urn:uuid:1\ndata: d\n\n");
  }
}

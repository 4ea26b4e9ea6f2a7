package dev.ferrymq.mercure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferrymq.InvalidRequestException;
import org.junit.jupiter.api.Test;

class TopicSelectorTest {

  @Test
  void anExactTopicMatchesItselfOnly() {
    TopicSelector s = TopicSelector.of("https://example.com/books/1");
    assertThat(s.matches("https://example.com/books/1")).isTrue();
    assertThat(s.matches("https://example.com/books/10")).isFalse();
    assertThat(s.matches("https://example.com/books/")).isFalse();
  }

  @Test
  void theStarMatchesEveryTopic() {
    TopicSelector s = TopicSelector.of("*");
    assertThat(s.matches("https://example.com/books/1")).isTrue();
    assertThat(s.matches("urn:x")).isTrue();
  }

  @Test
  void aSimpleExpressionMatchesOneSegment() {
    TopicSelector s = TopicSelector.of("https://example.com/books/{id}");
    assertThat(s.matches("https://example.com/books/1")).isTrue();
    assertThat(s.matches("https://example.com/books/abc-def")).isTrue();
    assertThat(s.matches("https://example.com/books/1/reviews")).isFalse();
    assertThat(s.matches("https://example.com/authors/1")).isFalse();
    assertThat(s.matches("https://example.com/books/1?x=1")).isFalse();
  }

  @Test
  void templateLiteralsAreNotRegularExpressions() {
    TopicSelector s = TopicSelector.of("https://example.com/a.b/{id}");
    assertThat(s.matches("https://example.com/a.b/1")).isTrue();
    assertThat(s.matches("https://example.comXa.b/1")).isFalse();
    assertThat(s.matches("https://example.com/aXb/1")).isFalse();
  }

  @Test
  void operatorsMatchWhatTheyExpandTo() {
    assertThat(TopicSelector.of("https://example.com/{+path}").matches("https://example.com/a/b/c")).isTrue();
    assertThat(TopicSelector.of("https://example.com/books{/id*}").matches("https://example.com/books/1/2")).isTrue();
    assertThat(TopicSelector.of("https://example.com/books{/id*}").matches("https://example.com/books")).isTrue();
    assertThat(TopicSelector.of("https://example.com/books{?page,size}")
      .matches("https://example.com/books?page=2&size=3")).isTrue();
    assertThat(TopicSelector.of("https://example.com/books/{id}{?v}").matches("https://example.com/books/7")).isTrue();
    assertThat(TopicSelector.of("https://example.com/{a}/{b}").matches("https://example.com/x/y")).isTrue();
    assertThat(TopicSelector.of("https://example.com/{a}/{b}").matches("https://example.com/x")).isFalse();
  }

  @Test
  void aMalformedTemplateIsMatchedExactly() {
    TopicSelector s = TopicSelector.of("https://example.com/{unclosed");
    assertThat(s.matches("https://example.com/{unclosed")).isTrue();
    assertThat(s.matches("https://example.com/x")).isFalse();
    assertThat(TopicSelector.of("https://example.com/{}").matches("https://example.com/{}")).isTrue();
  }

  @Test
  void anEmptySelectorIsRefused() {
    assertThatThrownBy(() -> TopicSelector.of("")).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void aTemplateOfManyExpressionsIsMatchedWithoutBacktracking() {
    // As a backtracking regular expression, twenty {+x} before a literal take ~C(60,20) steps on a topic that does
    // not match: a subscriber could hold an event loop with it. The matcher is linear per part: this ends at once.
    String template = "{+a}{+b}{+c}{+d}{+e}{+f}{+g}{+h}{+i}{+j}{+k}{+l}{+m}{+n}{+o}{+p}{+q}{+r}{+s}{+t}X";
    TopicSelector s = TopicSelector.of(template);
    String topic = "https://example.com/books/1234567890123456789012345678901234567890";
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> {
      assertThat(s.matches(topic)).isFalse();
      assertThat(s.matches(topic + "X")).isTrue();
    });
  }

  @Test
  void segmentsAndQueriesRepeatOrNotAsTheirOperatorsSay() {
    TopicSelector path = TopicSelector.of("https://example.com{/segments*}");
    assertThat(path.matches("https://example.com")).isTrue();
    assertThat(path.matches("https://example.com/a/b/c")).isTrue();
    assertThat(path.matches("https://example.com/a?b")).isFalse();
    TopicSelector query = TopicSelector.of("https://example.com/books{?page}");
    assertThat(query.matches("https://example.com/books")).isTrue();
    assertThat(query.matches("https://example.com/books?page=2&size=3")).isTrue();
    assertThat(query.matches("https://example.com/books#x")).isFalse();
  }
}

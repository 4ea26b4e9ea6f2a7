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
}

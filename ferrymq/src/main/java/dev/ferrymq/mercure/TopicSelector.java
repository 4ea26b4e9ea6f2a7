package dev.ferrymq.mercure;

import dev.ferrymq.InvalidRequestException;

/**
 * One Mercure topic selector: {@code *} (every topic), a URI template (RFC 6570, e.g.
 * {@code https://example.com/books/{id}}) or an exact topic. A template matches the topics it could expand to; a
 * string that is not a valid template is matched exactly, as the reference hub does.
 */
public final class TopicSelector {

  private final String text;
  private final UriTemplates.Matcher template;

  private TopicSelector(String text, UriTemplates.Matcher template) {
    this.text = text;
    this.template = template;
  }

  /**
   * @param text the selector as sent
   * @return the selector
   * @throws InvalidRequestException when {@code text} is empty
   */
  public static TopicSelector of(String text) {
    if (text == null || text.isEmpty()) {
      throw new InvalidRequestException("a Mercure topic selector must not be empty");
    }
    return new TopicSelector(text, text.indexOf('{') >= 0 ? UriTemplates.compile(text) : null);
  }

  /** @return whether {@code topic} is selected */
  public boolean matches(String topic) {
    if (text.equals("*") || text.equals(topic)) {
      return true;
    }
    return template != null && template.matches(topic);
  }

  /** @return the selector as sent */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }
}

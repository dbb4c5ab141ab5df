package dev.sluice.processors.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** LIKE patterns, including the fast paths and characters special to regular expressions. */
class LikeMatcherTest {

    private static boolean like(String value, String pattern) {
        return LikeMatcher.compile(pattern, null).matches(value);
    }

    @Test
    void testFastPaths() {
        assertThat(like("abc", "abc")).isTrue();
        assertThat(like("abcd", "abc")).isFalse();
        assertThat(like("abcd", "abc%")).isTrue();
        assertThat(like("xabc", "%abc")).isTrue();
        assertThat(like("xabcx", "%abc%")).isTrue();
        assertThat(like("xabx", "%abc%")).isFalse();
        assertThat(like("", "%")).isTrue();
        assertThat(like("", "")).isTrue();
        assertThat(like("a", "")).isFalse();
        assertThat(like("anything", "%%")).isTrue();
    }

    @Test
    void testUnderscoreMatchesExactlyOneCharacter() {
        assertThat(like("abc", "a_c")).isTrue();
        assertThat(like("ac", "a_c")).isFalse();
        assertThat(like("abbc", "a_c")).isFalse();
        assertThat(like("a\uD83D\uDE00c", "a_c")).isTrue();
        assertThat(like("a\nc", "a_c")).isTrue();
        assertThat(like("a\nb\nc", "a%c")).isTrue();
    }

    @Test
    void testRegexCharactersAreLiteral() {
        assertThat(like("a.c", "a.c")).isTrue();
        assertThat(like("abc", "a.c")).isFalse();
        assertThat(like("a[b]c$", "a[_]%$")).isTrue();
        assertThat(like("x\\Ey", "%\\E_")).isTrue();
    }

    @Test
    void testEscape() {
        assertThat(LikeMatcher.compile("100!%", '!').matches("100%")).isTrue();
        assertThat(LikeMatcher.compile("100!%", '!').matches("1000")).isFalse();
        assertThat(LikeMatcher.compile("a!_b%", '!').matches("a_bcd")).isTrue();
        assertThat(LikeMatcher.compile("a!!b", '!').matches("a!b")).isTrue();
        assertThatThrownBy(() -> LikeMatcher.compile("a!b", '!'))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "invalid LIKE pattern 'a!b': the escape character must be followed by '%',"
                                + " '_' or itself");
    }
}

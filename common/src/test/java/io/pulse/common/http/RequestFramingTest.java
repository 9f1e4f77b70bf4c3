package io.pulse.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.http.RequestFraming.Refusal;
import io.vertx.core.http.HttpVersion;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestFramingTest {

  @ParameterizedTest
  @ValueSource(strings = {"chunked", "CHUNKED", " chunked ", "chunked,", ", chunked"})
  void check_chunkedAlone_isSound(String header) {
    assertThat(RequestFraming.check(HttpVersion.HTTP_1_1, List.of(header), false)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "identity", "xchunked", "chunkedx", "chunked;q=1", "chunked ;q=1",
      "gzip, chunked, gzip", "chunked, gzip", "chunked, chunked", "", " , "})
  void check_finalCodingNotChunkedAlone_is400(String header) {
    Refusal refusal = RequestFraming.check(HttpVersion.HTTP_1_1, List.of(header), false);
    assertThat(refusal).isNotNull();
    assertThat(refusal.status()).isEqualTo(400);
  }

  static List<List<String>> duplicatedHeaders() {
    return List.of(List.of("chunked", "gzip"), List.of("chunked", "identity"), List.of("chunked", "chunked"),
        List.of("", "gzip"));
  }

  @ParameterizedTest
  @MethodSource("duplicatedHeaders")
  void check_duplicatedHeadersEndingInAnotherCoding_is400(List<String> headers) {
    assertThat(RequestFraming.check(HttpVersion.HTTP_1_1, headers, false)).extracting(Refusal::status)
        .isEqualTo(400);
  }

  @ParameterizedTest
  @MethodSource("codingsBeforeChunked")
  void check_anotherCodingBeforeChunked_is501(List<String> headers) {
    Refusal refusal = RequestFraming.check(HttpVersion.HTTP_1_1, headers, false);
    assertThat(refusal).isNotNull();
    assertThat(refusal.status()).isEqualTo(501);
    assertThat(refusal.message()).contains("'gzip'");
  }

  static List<List<String>> codingsBeforeChunked() {
    return List.of(List.of("gzip, chunked"), List.of("gzip", "chunked"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"chunked", "gzip"})
  void check_withContentLength_is400(String header) {
    Refusal refusal = RequestFraming.check(HttpVersion.HTTP_1_1, List.of(header), true);
    assertThat(refusal).isNotNull();
    assertThat(refusal.status()).isEqualTo(400);
    assertThat(refusal.message()).contains("Content-Length");
  }

  @ParameterizedTest
  @ValueSource(strings = {"chunked", "gzip"})
  void check_anyTransferEncodingOverHttp10_is400(String header) {
    assertThat(RequestFraming.check(HttpVersion.HTTP_1_0, List.of(header), false)).extracting(Refusal::status)
        .isEqualTo(400);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void check_noTransferEncoding_isSound(boolean contentLength) {
    assertThat(RequestFraming.check(HttpVersion.HTTP_1_1, List.of(), contentLength)).isNull();
    assertThat(RequestFraming.check(HttpVersion.HTTP_1_0, List.of(), contentLength)).isNull();
  }
}

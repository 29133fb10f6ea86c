// ICU folding of names; the ASCII fast path keeps bulk linkage and search indexing cheap.
#include "linkage/text_fold.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <memory>

namespace accompany::linkage {
namespace {

// A Transliterator is not safe to share between threads, and building one parses its rules
// (about a millisecond), so each thread keeps its own.
const icu::Transliterator* ascii_transliterator() {
  thread_local std::unique_ptr<icu::Transliterator> transliterator = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> made(
        icu::Transliterator::createInstance("Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
    if (U_FAILURE(status)) made.reset();
    return made;
  }();
  return transliterator.get();
}

void append_folded_ascii(std::string_view text, std::string& out) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 'A' && u <= 'Z') {
      out += static_cast<char>(u - 'A' + 'a');
    } else if ((u >= 'a' && u <= 'z') || (u >= '0' && u <= '9')) {
      out += c;
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
}

bool is_ascii(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

}  // namespace

std::string fold_text(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  if (is_ascii(utf8)) {
    append_folded_ascii(utf8, out);
  } else {
    const icu::UnicodeString original =
        icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
    // Fast path for accented Latin (nearly every name here): NFKD splits "í" into "i" + a combining
    // mark, and dropping the marks leaves ASCII. The script-aware transliterator costs milliseconds
    // per call, so it runs only for what is left: other scripts and letters like ß, æ, ø, ł.
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
    std::string ascii;
    bool only_ascii = U_SUCCESS(status);
    if (only_ascii) {
      const icu::UnicodeString decomposed = nfkd->normalize(original, status);
      only_ascii = U_SUCCESS(status);
      for (int32_t i = 0; only_ascii && i < decomposed.length(); i = decomposed.moveIndex32(i, 1)) {
        const UChar32 c = decomposed.char32At(i);
        if (c < 0x80) {
          ascii += static_cast<char>(c);
        } else if (u_charType(c) != U_NON_SPACING_MARK) {
          only_ascii = false;
        }
      }
    }
    if (only_ascii) {
      append_folded_ascii(ascii, out);
    } else {
      icu::UnicodeString text = original;
      status = U_ZERO_ERROR;
      // NFKC first so compatibility forms (full-width letters, ligatures) reach the transliterator as letters.
      const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
      if (U_SUCCESS(status)) {
        icu::UnicodeString normalized = nfkc->normalize(text, status);
        if (U_SUCCESS(status)) text = normalized;
      }
      if (const auto* transliterator = ascii_transliterator()) {
        transliterator->transliterate(text);
      } else {
        text.foldCase();
      }
      std::string converted;
      text.toUTF8String(converted);
      append_folded_ascii(converted, out);  // drops whatever the transliterator left outside ASCII
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::string> split_tokens(std::string_view folded) {
  std::vector<std::string> tokens;
  size_t start = 0;
  while (start < folded.size()) {
    size_t end = folded.find(' ', start);
    if (end == std::string_view::npos) end = folded.size();
    if (end > start) tokens.emplace_back(folded.substr(start, end - start));
    start = end + 1;
  }
  return tokens;
}

}  // namespace accompany::linkage

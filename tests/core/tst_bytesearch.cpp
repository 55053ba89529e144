// The filter's byte search: it finds what std::string_view::find finds, at every position and
// length around its 16-byte steps, for any bytes (UTF-8, NUL, 0xff), and never reads past the
// text (the suite runs under ASan with the text at the end of its allocation).
#include "bytesearch.h"

#include <QtTest>

#include <memory>
#include <random>
#include <string>

using namespace cpc;

class tst_ByteSearch : public QObject
{
    Q_OBJECT

private slots:
    void findsWhatFindFinds()
    {
        std::mt19937 rng(7);
        // A small alphabet makes partial matches (first and last byte equal, middle not) common.
        const std::string alphabet("ab\0\xff\xc3", 5);
        for (int round = 0; round < 20000; ++round) {
            std::string hay(size_t(rng() % 70), 'x');
            for (char &c : hay)
                c = alphabet[rng() % alphabet.size()];
            std::string needle(size_t(1 + rng() % 5), 'x');
            for (char &c : needle)
                c = alphabet[rng() % alphabet.size()];
            // Exactly the haystack's bytes on the heap: a read past the end is an ASan error.
            auto copy = std::make_unique<char[]>(hay.size() + 1);
            std::memcpy(copy.get(), hay.data(), hay.size());
            const std::string_view view(copy.get(), hay.size());
            QCOMPARE(findBytes(view, needle), view.find(needle));
        }
    }

    void matchAtEveryPositionAroundTheSteps()
    {
        for (size_t length = 1; length <= 40; ++length) {
            for (size_t m = 1; m <= 18 && m <= length; ++m) {
                for (size_t at = 0; at + m <= length; ++at) {
                    std::string hay(length, 'a');
                    std::string needle(m, 'a');
                    needle.back() = 'b';
                    hay.replace(at, m, needle);
                    QCOMPARE(findBytes(hay, needle), at);
                    // One byte short at the end: no match.
                    QCOMPARE(findBytes(std::string_view(hay).substr(0, at + m - 1), needle),
                             std::string_view::npos);
                }
            }
        }
    }

    void emptyAndLongerNeedles()
    {
        QCOMPARE(findBytes("abc", ""), size_t(0));
        QCOMPARE(findBytes("", "a"), std::string_view::npos);
        QCOMPARE(findBytes("ab", "abc"), std::string_view::npos);
        QCOMPARE(findBytes("xxabc", "abc"), size_t(2));
    }

    void firstOfSeveralMatches()
    {
        const std::string hay = std::string(100, '-') + "lab" + std::string(50, '-') + "lab";
        QCOMPARE(findBytes(hay, "ab"), size_t(101));
        QCOMPARE(findBytes(std::string_view(hay).substr(102), "ab"), size_t(52));
    }
};

QTEST_APPLESS_MAIN(tst_ByteSearch)
#include "tst_bytesearch.moc"

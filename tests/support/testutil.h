#pragma once

#include <QObject>
#include <QtTest>

#include <optional>

namespace cpc::test {

/// Collects one callback result; use with QTRY_VERIFY(w.has()).
template<typename T> struct Waiter
{
    std::optional<T> value;
    int calls = 0;
    auto callback()
    {
        return [this](const T &v) {
            value = v;
            ++calls;
        };
    }
    bool has() const { return value.has_value(); }
    const T &get() const { return *value; }
};

} // namespace cpc::test

#pragma once

#include <QDebug>
#include <QString>

namespace cpc {

/// A credential. It never converts to a string implicitly and prints as "<redacted>", so it can
/// only reach a header through reveal(), which is called in one place (CpClient).
class Secret
{
public:
    Secret() = default;
    explicit Secret(QString value)
        : m_value(std::move(value))
    {
    }

    bool isEmpty() const { return m_value.isEmpty(); }
    const QString &reveal() const { return m_value; }
    bool operator==(const Secret &other) const = default;

private:
    QString m_value;
};

inline QDebug operator<<(QDebug dbg, const Secret &s)
{
    QDebugStateSaver saver(dbg);
    dbg.nospace() << (s.isEmpty() ? "<empty>" : "<redacted>");
    return dbg;
}

} // namespace cpc

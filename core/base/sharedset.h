#pragma once

#include <QMutex>
#include <QMutexLocker>
#include <QSet>
#include <QString>

namespace cpc {

/// A set of strings this whole process shares across threads: the secrets the redactor hides,
/// the state-store sessions that are open. Every access takes the lock.
class SharedStringSet
{
public:
    void insert(const QString &value)
    {
        QMutexLocker lock(&m_mutex);
        m_values.insert(value);
    }
    void remove(const QString &value)
    {
        QMutexLocker lock(&m_mutex);
        m_values.remove(value);
    }
    bool contains(const QString &value) const
    {
        QMutexLocker lock(&m_mutex);
        return m_values.contains(value);
    }
    /// A copy to iterate without holding the lock (implicitly shared: no strings are copied).
    QSet<QString> values() const
    {
        QMutexLocker lock(&m_mutex);
        return m_values;
    }

private:
    mutable QMutex m_mutex;
    QSet<QString> m_values;
};

} // namespace cpc

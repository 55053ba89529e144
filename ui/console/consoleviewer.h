#pragma once

#include "consolebuffer.h"
#include "cpclient.h"
#include "result.h"

#include <QDateTime>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <memory>

class QComboBox;
class QLabel;
class QListWidget;
class QSplitter;
class QToolButton;

namespace cpc::ui {

class ConsoleFindBar;
class ConsoleSearch;
class ConsoleView;

/// The serial-console viewer of one instance: fetches the console through a fetcher, merges
/// each fetch into a capped ConsoleBuffer and shows it in a ConsoleView, with a toolbar
/// (refresh, auto-refresh interval, wrap, colours, find, save), a side list of notable lines
/// (kernel panic, call trace, OOM, segfault, failed units, reboots, cloud-init, gaps) that
/// jumps to the line when clicked, a banner when the cap dropped old output, an error strip
/// that keeps the previous text visible when a fetch fails, and a find bar.
///
/// Updates are batched as in Konsole: a fetch is merged at once, but the view, the jump list,
/// the matches and the banner are brought up to date by a 10 ms single-shot timer restarted per
/// fetch and capped by a 40 ms one, so a burst of fetches costs one update.
///
/// Keyboard (while the focus is anywhere in the viewer; these win over window shortcuts):
/// Ctrl+F find, F3 / Shift+F3 next / previous match (Enter / Shift+Enter in the find field),
/// Esc close the find bar, F5 refresh, Ctrl+S save as shown, Ctrl+J jump list, Alt+Z wrap,
/// Alt+C colours; in the text: Ctrl+C copy, Ctrl+A select all, arrows / Page Up / Page Down
/// scroll, Home top, End bottom (and follow).
///
/// Settings (wrap, colours, auto-refresh interval) are remembered with QSettings under
/// "consoleViewer/".
class ConsoleViewer : public QWidget
{
    Q_OBJECT
public:
    using Done = std::function<void(const Result<ConsoleOutput> &)>;
    /// Starts one console fetch and calls `done` exactly once unless `context` dies first
    /// (e.g. `[ops, id](QObject *c, Done d) { return ops->console(id, c, std::move(d)); }`).
    using Fetcher = std::function<CallHandle(QObject *context, Done done)>;

    enum class SaveMode {
        Shown, ///< the text as shown: escapes interpreted, line numbers left out
        Raw, ///< the last fetch as received (ConsoleBuffer::rawText())
    };

    explicit ConsoleViewer(Fetcher fetch = {}, QWidget *parent = nullptr);
    ~ConsoleViewer() override;

    void setFetcher(Fetcher fetch);
    /// Used as the default file name when saving ("console-<workspace>").
    void setSuggestedFileName(const QString &baseName);

    /// Merges one fetch result (as the fetcher delivers it). An error keeps the text and shows
    /// the error strip. The screen is updated by the batch timers or flushPendingUpdates().
    void applyFetch(const Result<ConsoleOutput> &result);
    /// Brings the view, jump list, matches and banner up to date now (tests, benchmarks).
    void flushPendingUpdates();
    /// Forgets the text (e.g. the workspace got a new instance).
    void clear();

    /// 0 turns auto-refresh off; the toolbar offers 2 s, 5 s, 10 s and 30 s.
    void setAutoRefreshInterval(int ms);
    int autoRefreshInterval() const { return m_autoMs; }
    void setWrap(bool wrap);
    bool wrap() const;
    void setColorsEnabled(bool enabled);
    bool colorsEnabled() const;

    bool saveToFile(const QString &path, SaveMode mode, QString *error = nullptr) const;

    // State, for the console tab and for tests.
    const ConsoleBuffer &buffer() const { return *m_buffer; }
    ConsoleView *view() const { return m_view; }
    ConsoleFindBar *findBar() const { return m_findBar; }
    QListWidget *jumpList() const { return m_jump; }
    bool isJumpListVisible() const;
    bool isFetching() const { return m_fetching; }
    bool isFollowing() const;
    int topLineNumber() const;
    int scrollValue() const;
    bool isNewLinesPillVisible() const;
    int newLineCount() const;
    int matchCount() const;
    int currentMatchIndex() const;
    /// The notable lines offered in the jump list, in order.
    QList<ConsoleBuffer::Notable> notablesShown() const { return m_notables; }
    /// The truncation banner's text; empty while hidden.
    QString bannerText() const;
    /// The error strip's text; empty while hidden.
    QString errorText() const;
    QString statusText() const;
    QDateTime lastSuccessfulFetch() const { return m_lastSuccess; }

public Q_SLOTS:
    void refresh();
    void openFind();
    void findNext();
    void findPrevious();
    void closeFind();
    void jumpToNotable(int index);
    void saveInteractively(SaveMode mode);
    void setJumpListVisible(bool visible);
    /// Shows the jump list of notable lines and puts the keyboard in it (Ctrl+J).
    void openJumpList();

Q_SIGNALS:
    /// A fetch finished (not emitted for a cancelled one).
    void fetched(bool ok);
    void followingChanged(bool following);

protected:
    bool event(QEvent *e) override;
    void keyPressEvent(QKeyEvent *e) override;
    void showEvent(QShowEvent *e) override;

private:
    void buildUi();
    void scheduleUpdate();
    void onQueryChanged();
    void showCurrentMatch();
    void updateFindStatus();
    void updateJumpList();
    void updateBanner();
    void updateStatus();
    void loadSettings();
    void saveSettings() const;
    static bool isViewerShortcut(const QKeyEvent *e);

    std::unique_ptr<ConsoleBuffer> m_buffer;
    std::unique_ptr<ConsoleSearch> m_search;
    Fetcher m_fetch;
    CallHandle m_call;
    bool m_fetching = false;
    int m_autoMs = 0;
    QTimer m_autoTimer;
    QTimer m_batchTimer; ///< 10 ms, restarted per fetch
    QTimer m_batchCapTimer; ///< 40 ms, started by the first fetch of a batch
    int m_pendingFirstChanged = 0; ///< 0: nothing pending
    bool m_pendingReset = false;
    QDateTime m_lastSuccess;
    QDateTime m_lastAttempt;
    int m_lastBytes = 0;
    qint64 m_inputSkipped = 0;
    QString m_suggestedName;
    QList<ConsoleBuffer::Notable> m_notables;

    QToolButton *m_refreshButton = nullptr;
    QComboBox *m_autoCombo = nullptr;
    QToolButton *m_wrapButton = nullptr;
    QToolButton *m_colorsButton = nullptr;
    QToolButton *m_findButton = nullptr;
    QToolButton *m_jumpButton = nullptr;
    QListWidget *m_jump = nullptr;
    QSplitter *m_splitter = nullptr;
    bool m_jumpWanted = true;
    bool m_closing = false;
    QToolButton *m_saveButton = nullptr;
    QLabel *m_status = nullptr;
    QWidget *m_banner = nullptr;
    QLabel *m_bannerLabel = nullptr;
    QWidget *m_errorStrip = nullptr;
    QLabel *m_errorLabel = nullptr;
    ConsoleView *m_view = nullptr;
    ConsoleFindBar *m_findBar = nullptr;
};

} // namespace cpc::ui

// `plexus sql`: reads statements (readline, a -c string, a file or piped stdin), runs them in one
// session::Session on the embedded engine and prints results as psql does: aligned tables,
// command tags, "ERROR:  message" with the LINE/caret of the error position, \timing, \x, \d.
#include "plexus/app/sql_shell.h"

#include <readline/history.h>
#include <readline/readline.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "plexus/app/serve.h"
#include "plexus/app/sql_describe.h"
#include "plexus/app/statement_splitter.h"
#include "plexus/app/table_printer.h"
#include "plexus/app/version.h"
#include "plexus/base/logging.h"
#include "plexus/session/session.h"
#include "plexus/sql/exec/spill_file.h"
#include "plexus/sql/func/cast.h"
#include "plexus/storage/store.h"
#include "plexus/txn/transaction.h"

namespace plexus::app {
namespace {

// psql's default HISTSIZE.
constexpr int kHistoryLinesMax = 500;
constexpr std::string_view kHistoryFileName = ".plexus_history";

// Set by SIGINT while reading interactive input: the pending statement is discarded.
volatile sig_atomic_t interrupted = 0;

void OnInterrupt(int) {
  interrupted = 1;
  // Abandon the line being edited and start a fresh prompt, as psql does on Ctrl-C.
  rl_replace_line("", 0);
  rl_crlf();
  rl_on_new_line();
  rl_redisplay();
}

void WriteOut(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

void WriteError(std::string_view text) {
  std::fflush(stdout);  // keep results and errors in order on a shared terminal
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string_view Trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

struct Settings {
  bool timing = false;    // \timing
  bool expanded = false;  // \x
};

std::string FormatTable(const TextTable& table, const Settings& settings) {
  return (settings.expanded ? FormatExpanded(table) : FormatAligned(table)) + "\n";
}

// Prints each statement's result when it completes: its rows as a table, then the command tag
// unless the statement was a query (psql prints both for INSERT/UPDATE/DELETE ... RETURNING).
class PrintingSink : public session::ResultSink {
 public:
  explicit PrintingSink(const Settings* settings) : settings_(settings) {}

  Status BeginRows(const std::vector<session::ResultColumn>& columns) override {
    table_ = TextTable();
    for (const session::ResultColumn& column : columns) {
      table_.headers.push_back(column.name);
      table_.alignments.push_back(catalog::IsNumeric(column.type.id) ? Alignment::kRight
                                                                     : Alignment::kLeft);
    }
    has_rows_ = true;
    return Status::Ok();
  }

  Status Rows(const sql::Batch& batch) override {
    for (size_t row = 0; row < batch.rows(); ++row) {
      std::vector<std::string> cells(batch.column_count());
      for (size_t column = 0; column < batch.column_count(); ++column) {
        if (batch.column(column).IsNull(row)) continue;  // NULL prints as nothing
        PLEXUS_RETURN_IF_ERROR(sql::FormatText(batch.column(column), row, &cells[column]));
      }
      table_.rows.push_back(std::move(cells));
    }
    return Status::Ok();
  }

  Status Complete(std::string_view command_tag) override {
    std::string out;
    if (has_rows_) out = FormatTable(table_, *settings_);
    if (!has_rows_ || StartsWith(command_tag, "INSERT") || StartsWith(command_tag, "UPDATE") ||
        StartsWith(command_tag, "DELETE")) {
      out += std::string(command_tag) + "\n";
    }
    WriteOut(out);
    Discard();
    return Status::Ok();
  }

  void Notice(const session::NoticeMessage& notice) override {
    WriteError(std::string(session::NoticeSeverityName(notice.severity)) + ":  " +
               std::string(notice.message) + "\n");
  }

  // Drops the rows of a statement that failed before completing.
  void Discard() {
    table_ = TextTable();
    has_rows_ = false;
  }

 private:
  const Settings* settings_;
  TextTable table_;
  bool has_rows_ = false;
};

// psql's "LINE n: text" and a caret under the error's (1-based, in characters) position.
std::string PositionText(std::string_view sql, int position) {
  size_t characters = 0;
  size_t line_start = 0;
  int line_number = 1;
  size_t at = 0;
  for (; at < sql.size(); ++at) {
    if ((static_cast<unsigned char>(sql[at]) & 0xC0) == 0x80) continue;
    if (++characters == static_cast<size_t>(position)) break;
    if (sql[at] == '\n') {
      ++line_number;
      line_start = at + 1;
    }
  }
  if (at >= sql.size()) return "";  // past the end: nothing to point at
  size_t line_end = sql.find('\n', line_start);
  if (line_end == std::string_view::npos) line_end = sql.size();
  const std::string label = "LINE " + std::to_string(line_number) + ": ";
  std::string text = label + std::string(sql.substr(line_start, line_end - line_start)) + "\n";
  text.append(label.size() + DisplayWidth(sql.substr(line_start, at - line_start)), ' ');
  return text + "^\n";
}

std::string ErrorText(const Status& status, std::string_view sql) {
  std::string text = "ERROR:  " + std::string(status.message()) + "\n";
  if (status.position() > 0) text += PositionText(sql, status.position());
  if (!status.detail().empty()) text += "DETAIL:  " + std::string(status.detail()) + "\n";
  if (!status.hint().empty()) text += "HINT:  " + std::string(status.hint()) + "\n";
  return text;
}

// psql's "Time: 1.234 ms", with minutes and seconds past one second.
std::string TimingText(double elapsed_ms) {
  char text[96];
  if (elapsed_ms < 1000) {
    std::snprintf(text, sizeof(text), "Time: %.3f ms\n", elapsed_ms);
  } else {
    const double seconds = elapsed_ms / 1000;
    const int minutes = static_cast<int>(seconds / 60);
    std::snprintf(text, sizeof(text), "Time: %.3f ms (%02d:%06.3f)\n", elapsed_ms, minutes,
                  seconds - minutes * 60);
  }
  return text;
}

constexpr std::string_view kHelpText =
    "General\n"
    "  \\q                     quit plexus sql\n"
    "  \\?                     show this help\n"
    "\n"
    "Informational\n"
    "  \\d                     list tables\n"
    "  \\d NAME                describe table or view\n"
    "  \\dt [NAME]             list tables\n"
    "\n"
    "Formatting\n"
    "  \\x [on|off]            toggle expanded output\n"
    "  \\timing [on|off]       toggle timing of commands\n"
    "\n"
    "Statements end at ';' (outside quotes, dollar quotes, comments and parentheses).\n";

class Shell {
 public:
  enum class Outcome : uint8_t { kOk, kError, kQuit };

  explicit Shell(session::Engine* engine) : engine_(engine), session_(engine), sink_(&settings_) {}

  // `location`: psql's "file:line: " prefix for errors ("" for -c, stdin and the terminal).
  Outcome RunSql(std::string_view sql, std::string_view location);
  Outcome RunMeta(std::string_view line, std::string_view location);
  // Runs a script to its end or its first error.
  Outcome RunScript(std::FILE* input, std::string_view name);
  void RunInteractive();

 private:
  Outcome ToggleSetting(std::string_view name, std::string_view argument, bool* value,
                        std::string_view message);
  Outcome Describe(std::string_view command, std::string_view argument);
  std::string Prompt(const StatementSplitter& splitter) const;

  session::Engine* engine_;
  session::Session session_;
  Settings settings_;
  PrintingSink sink_;
  bool interactive_ = false;
};

Shell::Outcome Shell::RunSql(std::string_view sql, std::string_view location) {
  if (Trim(sql).empty() || Trim(sql) == ";") return Outcome::kOk;  // psql sends nothing
  const auto start = std::chrono::steady_clock::now();
  const Status status = session_.Execute(sql, sink_);
  const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;
  if (!status.ok()) {
    sink_.Discard();
    WriteError(std::string(location) + ErrorText(status, sql));
  }
  if (settings_.timing) WriteOut(TimingText(elapsed.count()));
  return status.ok() ? Outcome::kOk : Outcome::kError;
}

Shell::Outcome Shell::ToggleSetting(std::string_view name, std::string_view argument, bool* value,
                                    std::string_view message) {
  if (argument.empty()) {
    *value = !*value;
  } else if (argument == "on" || argument == "true" || argument == "1") {
    *value = true;
  } else if (argument == "off" || argument == "false" || argument == "0") {
    *value = false;
  } else {
    WriteError("unrecognized value \"" + std::string(argument) + "\" for \"\\" +
               std::string(name) + "\": Boolean expected\n");
    return Outcome::kError;
  }
  WriteOut(std::string(message) + (*value ? " on.\n" : " off.\n"));
  return Outcome::kOk;
}

Shell::Outcome Shell::Describe(std::string_view command, std::string_view argument) {
  Result<TextTable> table = (command == "d" && !argument.empty())
                                ? DescribeRelation(*engine_, argument)
                                : ListRelations(*engine_, argument);
  if (!table.ok()) {
    WriteError(std::string(table.status().message()) + "\n");
    return Outcome::kError;
  }
  if (table->rows.empty() && table->row_count_footer) {
    // An empty list is no error in psql (exit code 0), only a message.
    WriteError(argument.empty() ? "Did not find any relations.\n"
                                : "Did not find any relation named \"" + std::string(argument) +
                                      "\".\n");
    return argument.empty() ? Outcome::kOk : Outcome::kError;
  }
  WriteOut(table->row_count_footer ? FormatTable(*table, settings_) : FormatAligned(*table) + "\n");
  return Outcome::kOk;
}

Shell::Outcome Shell::RunMeta(std::string_view line, std::string_view location) {
  std::string_view text = Trim(line);
  text.remove_prefix(1);  // the backslash
  const size_t space = text.find_first_of(" \t");
  std::string_view command = text.substr(0, space);
  const std::string_view argument =
      space == std::string_view::npos ? std::string_view() : Trim(text.substr(space));
  if (command == "q" || command == "quit") return Outcome::kQuit;
  if (command == "?") {
    WriteOut(kHelpText);
    return Outcome::kOk;
  }
  if (command == "timing") return ToggleSetting(command, argument, &settings_.timing, "Timing is");
  if (command == "x") {
    return ToggleSetting(command, argument, &settings_.expanded, "Expanded display is");
  }
  if (!command.empty() && command.back() == '+') command.remove_suffix(1);  // no extra detail
  if (command == "d" || command == "dt") return Describe(command, argument);
  WriteError(std::string(location) + "invalid command \\" + std::string(command) + "\n" +
             (interactive_ ? "Try \\? for help.\n" : ""));
  return Outcome::kError;
}

Shell::Outcome Shell::RunScript(std::FILE* input, std::string_view name) {
  StatementSplitter splitter;
  std::string line;
  auto location = [&]() -> std::string {
    return name.empty() ? "" : "plexus:" + std::string(name) + ":" +
                                   std::to_string(splitter.line_count()) + ": ";
  };
  char* buffer = nullptr;
  size_t capacity = 0;
  ssize_t length = 0;
  Outcome outcome = Outcome::kOk;
  while (outcome == Outcome::kOk && (length = getline(&buffer, &capacity, input)) >= 0) {
    std::string_view text(buffer, static_cast<size_t>(length));
    if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
    const char mark = splitter.ContinuationMark();
    if (StartsWith(Trim(text), "\\") && (mark == '-' || mark == '(')) {
      splitter.AddLine("");  // counts the line; a meta-command is not part of the statement
      outcome = RunMeta(text, location());
      continue;
    }
    for (const std::string& statement : splitter.AddLine(text)) {
      outcome = RunSql(statement, location());
      if (outcome != Outcome::kOk) break;
    }
  }
  std::free(buffer);
  // As psql, an unterminated last statement still runs at the end of a script.
  if (outcome == Outcome::kOk) outcome = RunSql(splitter.TakePending(), location());
  return outcome;
}

std::string Shell::Prompt(const StatementSplitter& splitter) const {
  std::string prompt = "plexus";
  prompt += splitter.empty() ? '=' : splitter.ContinuationMark();
  switch (session_.transaction_state()) {
    case session::TransactionState::kIdle:
      break;
    case session::TransactionState::kActive:
      prompt += '*';
      break;
    case session::TransactionState::kFailed:
      prompt += '!';
      break;
  }
  return prompt + "> ";
}

void Shell::RunInteractive() {
  interactive_ = true;
  const char* home = std::getenv("HOME");
  const std::string history_path =
      home != nullptr ? std::string(home) + "/" + std::string(kHistoryFileName) : "";
  using_history();
  stifle_history(kHistoryLinesMax);
  // A missing history file is the normal first run.
  if (!history_path.empty()) [[maybe_unused]] int ignored = read_history(history_path.c_str());
  struct sigaction action = {};
  action.sa_handler = OnInterrupt;
  sigaction(SIGINT, &action, nullptr);
  WriteOut(VersionText() + "\nType \"\\?\" for help, \"\\q\" to quit.\n\n");
  StatementSplitter splitter;
  while (true) {
    char* input = readline(Prompt(splitter).c_str());
    if (input == nullptr) {
      WriteOut("\\q\n");  // Ctrl-D, as psql shows it
      break;
    }
    const std::string line = input;
    std::free(input);
    if (interrupted) {
      interrupted = 0;
      splitter.Reset();
    }
    const char mark = splitter.ContinuationMark();
    if (StartsWith(Trim(line), "\\") && (mark == '-' || mark == '(')) {
      add_history(line.c_str());
      if (RunMeta(line, "") == Outcome::kQuit) break;
      continue;
    }
    for (const std::string& statement : splitter.AddLine(line)) {
      add_history(statement.c_str());
      [[maybe_unused]] Outcome outcome = RunSql(statement, "");  // printed; the shell goes on
    }
  }
  if (!history_path.empty()) {
    // History is a convenience: failing to save it must not fail the session.
    [[maybe_unused]] int written = write_history(history_path.c_str());
    [[maybe_unused]] int truncated = history_truncate_file(history_path.c_str(), kHistoryLinesMax);
  }
}

// The store, transactions and engine a shell session runs on, closed in reverse order.
struct EmbeddedEngine {
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<txn::TransactionManager> transactions;
  std::unique_ptr<session::Engine> engine;

  Status Open(const base::Config& config) {
    PLEXUS_ASSIGN_OR_RETURN(store, storage::Store::Open(config.data_dir, config.storage));
    transactions = std::make_unique<txn::TransactionManager>(store.get());
    PLEXUS_RETURN_IF_ERROR(sql::SetSpillRoot(config.data_dir));  // spill files: <data>/tmp
    engine = std::make_unique<session::Engine>(transactions.get());
    return Status::Ok();
  }
  Status Close() {
    engine.reset();
    transactions.reset();
    Status status;
    if (store) status = store->Close();
    store.reset();
    return status;
  }
};

int RunShell(Shell* shell, const SqlShellFlags& flags) {
  for (const std::string& command : flags.commands) {
    // psql: -c is one backslash command or SQL text sent as it is (positions count from it).
    const Shell::Outcome outcome = StartsWith(Trim(command), "\\") ? shell->RunMeta(command, "")
                                                                  : shell->RunSql(command, "");
    if (outcome == Shell::Outcome::kError) return kExitFailure;
    if (outcome == Shell::Outcome::kQuit) return kExitOk;
  }
  for (const std::string& file : flags.files) {
    std::FILE* input = file == "-" ? stdin : std::fopen(file.c_str(), "r");
    if (input == nullptr) {
      WriteError("plexus: " + file + ": " + std::strerror(errno) + "\n");
      return kExitFailure;
    }
    const Shell::Outcome outcome = shell->RunScript(input, file == "-" ? "" : file);
    if (input != stdin) std::fclose(input);
    if (outcome == Shell::Outcome::kError) return kExitFailure;
    if (outcome == Shell::Outcome::kQuit) return kExitOk;
  }
  if (!flags.commands.empty() || !flags.files.empty()) return kExitOk;
  if (isatty(STDIN_FILENO) == 0) {
    return shell->RunScript(stdin, "") == Shell::Outcome::kError ? kExitFailure : kExitOk;
  }
  shell->RunInteractive();
  return kExitOk;
}

}  // namespace

int RunSqlShell(const SqlShellFlags& flags, const char* const* environment) {
  ServeFlags config_flags;
  config_flags.config_file = flags.config_file;
  config_flags.data_dir = flags.data_dir;
  Result<base::Config> config = BuildConfig(config_flags, environment);
  if (!config.ok()) {
    WriteError("plexus: " + std::string(config.status().message()) + "\n");
    return kExitUsage;
  }
  // The shell's output is the results; only warnings and errors of the engine go to stderr.
  const Status logging = base::InitLogging(std::max(config->log_level, base::LogLevel::kWarn),
                                           config->log_file);
  if (!logging.ok()) {
    WriteError("plexus: " + std::string(logging.message()) + "\n");
    return kExitFailure;
  }
  EmbeddedEngine embedded;
  const Status opened = embedded.Open(*config);
  if (!opened.ok()) {
    WriteError("plexus: cannot open data directory " + config->data_dir + ": " +
               opened.ToString() + "\n");
    [[maybe_unused]] Status closed = embedded.Close();  // secondary to the error reported
    return kExitFailure;
  }
  int exit_code = kExitOk;
  {
    Shell shell(embedded.engine.get());
    exit_code = RunShell(&shell, flags);
  }  // the session (and any open transaction, rolled back) ends before the store closes
  const Status closed = embedded.Close();
  if (!closed.ok()) {
    WriteError("plexus: closing the database failed: " + closed.ToString() + "\n");
    return kExitFailure;
  }
  base::FlushLogging();
  return exit_code;
}

}  // namespace plexus::app

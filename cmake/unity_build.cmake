# Unity builds of libplexus and the unit tests (make test's sanitizer build): batches of sources
# compiled as one translation unit, so the headers and the inline and template code they share
# (Asio/Beast, nlohmann/json, RocksDB, the standard library) are parsed and instrumented once per
# batch instead of once per file. Four server/http sources took 60 s of CPU one by one and 24 s
# as one unit. A batch's files share one unnamed namespace per namespace, and a file-scope
# `using namespace` reaches the files after it, so two files that define the same internal name
# (unnamed namespace, static) fail to compile together. Which files share a batch shifts whenever
# a file is added, so no two files of a target may clash: the unity_batch_check test
# (scripts/check_unity_batches.sh) compiles each target's sources as one unit, in every build
# type, and names the clashing files; rename the helper to say what it is in its file. Likewise a
# class with external linkage may not hold a member of an unnamed namespace's type
# (-Wsubobject-linkage, which GCC waives only for classes of the main file).
# Files compiled on their own, each with its reason:
set(plexus_unity_excluded
  # In a batch, GCC 12 inlines differently and warns maybe-uninitialized (a false positive on
  # std::optional<std::string> in the ToChar kernels).
  src/plexus/sql/func/datetime_functions.cc
)
list(TRANSFORM plexus_unity_excluded PREPEND ${PROJECT_SOURCE_DIR}/)

# Eight files a batch: a one-file edit recompiles its batch (under a minute of CPU here).
set(PLEXUS_UNITY_BATCH_SIZE 8 CACHE STRING "Sources per unity batch")

function(plexus_unity_build target)
  set_target_properties(${target} PROPERTIES UNITY_BUILD ON
                        UNITY_BUILD_BATCH_SIZE ${PLEXUS_UNITY_BATCH_SIZE})
  set_source_files_properties(${plexus_unity_excluded} TARGET_DIRECTORY ${target}
                              PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
endfunction()

# For scripts/check_unity_batches.sh (the unity_batch_check test, run in every build type): one
# source that includes all of `target`'s sources in the target's order, so that any clash between
# two of them fails at once, whichever files the batches put together.
function(plexus_unity_check_sources target)
  set(sources "$<FILTER:$<TARGET_PROPERTY:${target},SOURCES>,INCLUDE,\\.cc$>")
  file(GENERATE OUTPUT ${PROJECT_BINARY_DIR}/unity_check/${target}.cc
       CONTENT "#include \"$<JOIN:${sources},\"\n#include \">\"\n")
endfunction()

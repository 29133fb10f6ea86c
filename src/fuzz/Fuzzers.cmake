# libFuzzer targets (docs/fuzzing.md). Included from src/CMakeLists.txt so embedded file names
# stay relative to src/. Two builds of each target:
# - ACCOMPANY_BUILD_FUZZERS (the `fuzz` preset, clang): the libFuzzer binary <name>, run by
#   scripts/run-fuzzers for a bounded time in CI;
# - ACCOMPANY_BUILD_TESTS (gcc, release and asan): <name>_replay, a ctest that runs the seed
#   corpus and every regression input through the same entry point on each `make test`.
set(ACCOMPANY_FUZZ_DIR ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
if(ACCOMPANY_BUILD_FUZZERS)
  add_custom_target(fuzzers)
endif()

function(accompany_add_fuzzer name source)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES;DEFINITIONS" ${ARGN})
  if(ACCOMPANY_BUILD_FUZZERS)
    set(target ${name})
    add_executable(${target} ${source} ${ARG_SOURCES})
    target_link_options(${target} PRIVATE -fsanitize=fuzzer)
    add_dependencies(fuzzers ${target})
  elseif(ACCOMPANY_BUILD_TESTS)
    set(target ${name}_replay)
    add_executable(${target} ${source} ${ARG_SOURCES} fuzz/replay_main.cpp)
    set(inputs ${ACCOMPANY_FUZZ_DIR}/corpus/${name})
    if(EXISTS ${ACCOMPANY_FUZZ_DIR}/regressions/${name})
      list(APPEND inputs ${ACCOMPANY_FUZZ_DIR}/regressions/${name})
    endif()
    add_test(NAME fuzz_replay_${name} COMMAND ${target} ${inputs})
  else()
    return()
  endif()
  target_link_libraries(${target} PRIVATE ${ARG_LIBRARIES})
  target_compile_definitions(${target} PRIVATE ${ARG_DEFINITIONS})
  set(ACCOMPANY_LAST_FUZZ_TARGET ${target} PARENT_SCOPE)
endfunction()

foreach(feed cbp_custody orr_release ice_nta eoir_hearings orr_followup address_changes)
  accompany_add_fuzzer(feed_${feed}_fuzzer fuzz/feed_fuzzer.cpp LIBRARIES accompany_ingest
                       DEFINITIONS ACCOMPANY_FUZZ_FEED=${feed})
endforeach()
accompany_add_fuzzer(json_request_fuzzer fuzz/json_request_fuzzer.cpp SOURCES http/records_json.cpp
                     LIBRARIES accompany_access accompany_linkage Boost::json)
accompany_add_fuzzer(name_fuzzer fuzz/name_fuzzer.cpp LIBRARIES accompany_linkage)
accompany_add_fuzzer(address_fuzzer fuzz/address_fuzzer.cpp SOURCES triage/address_quality.cpp
                     LIBRARIES accompany_domain)
if(ACCOMPANY_LAST_FUZZ_TARGET)
  # The ZIP-prefix and USPS tables address_quality.cpp reads, without the rest of triage.
  file(GLOB ACCOMPANY_FUZZ_TRIAGE_DATA CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/triage/data/*.csv)
  accompany_embed_files(${ACCOMPANY_LAST_FUZZ_TARGET} accompany::triage_files ${ACCOMPANY_FUZZ_TRIAGE_DATA})
endif()

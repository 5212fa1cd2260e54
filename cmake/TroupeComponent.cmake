# troupe_add_component(<name> [SOURCES ...] [DEPENDS ...])
#   One static library per layer / actor kind / venue. Headers are included by path from the
#   repository root ("messages/price.hpp"), so every component exposes the root as include dir.
function(troupe_add_component name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
  if(ARG_SOURCES)
    add_library(${name} STATIC ${ARG_SOURCES})
    target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(${name} PUBLIC ${ARG_DEPENDS})
  else()
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${PROJECT_SOURCE_DIR})
    target_link_libraries(${name} INTERFACE ${ARG_DEPENDS})
  endif()
endfunction()

# troupe_add_test(<name> SOURCES ... [DEPENDS ...] [LABELS ...] [CAF])
#   A GoogleTest executable registered with ctest, one ctest entry per test case.
#   CAF: the sources use CAF's own unit-test framework (caf/test/dsl.hpp) instead of GoogleTest;
#   the executable is registered as a single ctest entry.
function(troupe_add_test name)
  cmake_parse_arguments(ARG "CAF" "TIMEOUT" "SOURCES;DEPENDS;LABELS" ${ARGN})
  if(NOT TROUPE_BUILD_TESTS)
    return()
  endif()
  add_executable(${name} ${ARG_SOURCES})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  if(ARG_CAF)
    target_link_libraries(${name} PRIVATE ${ARG_DEPENDS} troupe::caf)
    add_test(NAME ${name} COMMAND ${name})
    set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS "${ARG_LABELS}")
  else()
    target_link_libraries(${name} PRIVATE ${ARG_DEPENDS} GTest::gtest GTest::gmock GTest::gtest_main)
    gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
      PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS "${ARG_LABELS}")
  endif()
endfunction()

# troupe_add_bench(<name> SOURCES ... [DEPENDS ...]) : a Google Benchmark program in build/bench.
function(troupe_add_bench name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
  target_link_libraries(${name} PRIVATE ${ARG_DEPENDS} benchmark::benchmark)
endfunction()

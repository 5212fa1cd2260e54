# Imported targets for the Debian 12 packages Troupe builds against (see tools/install-deps).
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS system)
find_package(simdjson REQUIRED)
find_package(RocksDB REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(tl-expected REQUIRED)
find_package(GTest REQUIRED)
find_package(benchmark REQUIRED)

# CAF 0.17.6 ships no CMake package config on Debian; wrap its libraries.
find_library(CAF_CORE_LIBRARY caf_core REQUIRED)
find_library(CAF_IO_LIBRARY caf_io REQUIRED)
add_library(troupe_caf INTERFACE)
target_link_libraries(troupe_caf INTERFACE ${CAF_IO_LIBRARY} ${CAF_CORE_LIBRARY} Threads::Threads)
add_library(troupe::caf ALIAS troupe_caf)

# Beast + Asio, header-only apart from Boost.System.
add_library(troupe_beast INTERFACE)
target_link_libraries(troupe_beast INTERFACE Boost::headers Boost::system Threads::Threads)
target_compile_definitions(troupe_beast INTERFACE BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_USE_STD_STRING_VIEW)
add_library(troupe::beast ALIAS troupe_beast)

# troupe_add_subdirectories(dir...) : adds each listed subdirectory that has a CMakeLists.txt.
# -DTROUPE_SKIP_DIRS="adapters/venues/kraken;..." (paths from the repository root) leaves some
# out, e.g. to build while another folder is half-written.
macro(troupe_add_subdirectories)
  foreach(_troupe_dir ${ARGN})
    file(RELATIVE_PATH _troupe_rel ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/${_troupe_dir})
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${_troupe_dir}/CMakeLists.txt
       AND NOT _troupe_rel IN_LIST TROUPE_SKIP_DIRS)
      add_subdirectory(${_troupe_dir})
    endif()
  endforeach()
endmacro()

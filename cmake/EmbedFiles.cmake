# accompany_embed_files(TARGET NAMESPACE FILES...) compiles text files (SQL migrations, rule
# sets) into the binary, so the one executable carries everything it needs to run.
function(accompany_embed_files target namespace)
  set(generated "${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded.cpp")
  string(REPLACE ";" "|" file_list "${ARGN}")
  add_custom_command(
    OUTPUT "${generated}"
    COMMAND "${CMAKE_COMMAND}" -DOUTPUT=${generated} -DNAMESPACE=${namespace}
            "-DFILES=${file_list}" -DBASE_DIR=${CMAKE_CURRENT_SOURCE_DIR}
            -P "${PROJECT_SOURCE_DIR}/cmake/embed_files_script.cmake"
    DEPENDS ${ARGN} "${PROJECT_SOURCE_DIR}/cmake/embed_files_script.cmake"
    COMMENT "Embedding ${namespace} files"
    VERBATIM)
  target_sources(${target} PRIVATE "${generated}")
endfunction()

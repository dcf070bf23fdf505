# common/ — the leaf every part links: allocation that aborts on
# out-of-memory (xmalloc.h). It depends on nothing, so crypto/ and
# ballot-formats/ can both use it without knowing of each other.

COMMON_SRCS := common/xmalloc.c
COMMON_OBJS := $(COMMON_SRCS:%.c=$(BUILD)/%.o)
COMMON_LIB  := $(BUILD)/libscrutin-common.a

$(COMMON_LIB): $(COMMON_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

LIBS_ALL += $(COMMON_LIB)
